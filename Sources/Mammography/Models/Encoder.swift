import Engine

/// The seed's VGG-like downsampling path (`Encoder` in `reference/models.py`).
///
/// Input `[N, 1, S, S]`, S divisible by 32. Five stages of 3×3 conv + BN + ReLU blocks,
/// c(n) channels for the seed's n:
///
///     stage 1: conv1 (stride 2) 1→c(32), conv1_1, conv1_2           S/2
///     stage 2: max pool, conv2_1 →c(64), conv2_2                     S/4
///     stage 3: max pool, conv3_1 →c(128), conv3_2                    S/8
///     stage 4: max pool, conv4_1 →c(256), conv4_2                    S/16
///     stage 5: max pool, conv5_1 →c(512), conv5_2                    S/32
///     dilated: conv5_3, conv5_4 (dilation 2, c(512))                 S/32
///
/// Tensors are named `encoder.<block>.conv.*` and `encoder.<block>.bn.*`.
public final class Encoder: Layer {
    public typealias Block = (name: String, layer: ConvBNReLU)

    /// The blocks of each stage; a 2×2 max pool precedes every stage but the first.
    public let stages: [[Block]]
    /// conv5_3 and conv5_4 when dilated (keep S/32, widen the field of view); else empty.
    public let dilatedBlocks: [Block]
    public let isDilated: Bool

    static let prefix = "encoder"

    /// The encoder's output and the feature maps the decoders' skips read, keyed as the
    /// reference's dict `f`: "conv1_2", "conv2_2", "conv3_2", "conv4_2", "conv5_2" and,
    /// when dilated, "conv5_4".
    public struct Features {
        public let output: Variable
        public let skips: [String: Variable]
    }

    public init(widths c: ChannelWidths, dilated: Bool, random: inout SeededGenerator) {
        func block(_ name: String, _ cin: Int, _ cout: Int, stride: Int = 1, dilation: Int = 1) -> Block {
            (name, ConvBNReLU(name: Encoder.prefix + "." + name, inChannels: cin, outChannels: cout, stride: stride,
                              dilation: dilation, random: &random))
        }
        stages = [
            [block("conv1", 1, c(32), stride: 2), block("conv1_1", c(32), c(32)), block("conv1_2", c(32), c(32))],
            [block("conv2_1", c(32), c(64)), block("conv2_2", c(64), c(64))],
            [block("conv3_1", c(64), c(128)), block("conv3_2", c(128), c(128))],
            [block("conv4_1", c(128), c(256)), block("conv4_2", c(256), c(256))],
            [block("conv5_1", c(256), c(512)), block("conv5_2", c(512), c(512))],
        ]
        isDilated = dilated
        dilatedBlocks = dilated
            ? [block("conv5_3", c(512), c(512), dilation: 2), block("conv5_4", c(512), c(512), dilation: 2)]
            : []
    }

    /// The output's channel count, c(512).
    public var outChannels: Int { stages[stages.count - 1].last!.layer.conv.outChannels }

    public var parameters: [Parameter] {
        (stages.joined() + dilatedBlocks).flatMap { $0.layer.parameters }
    }

    public func callAsFunction(_ x: Variable, _ ctx: Context) throws -> Variable {
        try features(x, ctx).output
    }

    /// Runs the encoder, keeping each stage's last output for the skip connections.
    public func features(_ x: Variable, _ ctx: Context) throws -> Features {
        var h = x
        var skips: [String: Variable] = [:]
        for (index, stage) in stages.enumerated() {
            if index > 0 { h = ctx.named(Encoder.poolName(index), try Op.maxPool2x2(h, ctx)) }
            h = try Encoder.run(stage, h, ctx)
            skips[stage.last!.name] = h
        }
        if let last = dilatedBlocks.last {
            h = try Encoder.run(dilatedBlocks, h, ctx)
            skips[last.name] = h
        }
        return Features(output: h, skips: skips)
    }

    func walk<W: NetworkWalker>(_ builder: inout W) {
        for (index, stage) in stages.enumerated() {
            if index > 0 { builder.maxPool(Encoder.poolName(index)) }
            for block in stage { builder.convBNReLU(Encoder.prefix + "." + block.name, block.layer) }
        }
        for block in dilatedBlocks { builder.convBNReLU(Encoder.prefix + "." + block.name, block.layer) }
    }

    private static func run(_ blocks: [Block], _ x: Variable, _ ctx: Context) throws -> Variable {
        var h = x
        for block in blocks { h = ctx.named(prefix + "." + block.name, try block.layer(h, ctx)) }
        return h
    }

    /// The pool before stage index+1: "encoder.pool1" … "encoder.pool4" (not modules in
    /// the reference, which calls `F.max_pool2d`; named so they can be captured).
    private static func poolName(_ index: Int) -> String { "\(prefix).pool\(index)" }
}
