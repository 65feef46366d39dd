import Engine

/// The seed's starting point after Long et al. (`FCN` in `reference/models.py`): the
/// classifier's head as convolutions, then upsampling back to full resolution with encoder
/// skips added. Input sides must be multiples of 320 (fc1 is 5×5 stride 5 on S/64).
///
///     encoder (not dilated)                       c(512) × S/32
///     pool5 2×2 max pool                          S/64
///     fc1 CBR 5×5/5 →c(2048), fc2 CBR 1×1         S/320
///     up1 5×5/5 transpose →c(512), up1_bn, up1_add (+ pool5)            S/64
///     up2 →c(512) + conv5_2   up3 →c(256) + conv4_2   up4 →c(128) + conv3_2
///     up5 →c(64) + conv2_2    up6 →c(32) + conv1_2    up7 →c(16)       S/32 … S
///     logits 1×1 conv →2
///
/// up2…up7 are 4×4 stride-2 transpose convs, each followed by `<name>_bn` (BN + ReLU) and
/// `<name>_add` (the skip). `bottleneck` passes each skip through `skip_<source>`, a 1×1
/// CBR; `resizeMiddle` makes up3…up5 nearest resize ×2 (`<name>_resize`) + 3×3 conv.
public final class FCN: SegmentationModel, WalkableNetwork {
    /// How one step doubles (or, for up1, quintuples) the resolution.
    public enum Upsampling {
        case transposeConvolution(ConvTranspose2D)
        case resizeConvolution(Conv2D)
    }

    /// One decoder step of the reference's `plan`.
    public struct Step {
        public let name: String
        public let upsampling: Upsampling
        public let batchNorm: BatchNorm2D
        /// The encoder feature map added after this step (a key of `Encoder.Features.skips`).
        public let skipSource: String?
        /// The 1×1 CBR the skip passes through when the net has bottlenecks.
        public let skipBottleneck: ConvBNReLU?

        var parameters: [Parameter] {
            let up: [Parameter]
            switch upsampling {
            case let .transposeConvolution(layer): up = layer.parameters
            case let .resizeConvolution(layer): up = layer.parameters
            }
            return up + batchNorm.parameters + (skipBottleneck?.parameters ?? [])
        }
    }

    public let architecture: Architecture
    public let width: Double
    public let encoder: Encoder
    public let fc1, fc2: ConvBNReLU
    public let steps: [Step]
    public let logits: Conv2D

    init(width: Double, bottleneck: Bool, resizeMiddle: Bool, random: inout SeededGenerator) {
        let c = ChannelWidths(width)
        architecture = resizeMiddle ? .fcnHybrid : bottleneck ? .fcnTransposeBottleneck : .fcnTranspose
        self.width = width
        encoder = Encoder(widths: c, dilated: false, random: &random)
        fc1 = ConvBNReLU(name: "fc1", inChannels: c(512), outChannels: c(2048), kernel: 5, stride: 5, padding: 0,
                         random: &random)
        fc2 = ConvBNReLU(name: "fc2", inChannels: c(2048), outChannels: c(2048), kernel: 1, random: &random)
        // (name, in, out, skip source, skip channels), as the reference's plan.
        let plan: [(String, Int, Int, String?, Int)] = [
            ("up1", 2048, 512, nil, 0), ("up2", 512, 512, "conv5_2", 512), ("up3", 512, 256, "conv4_2", 256),
            ("up4", 256, 128, "conv3_2", 128), ("up5", 128, 64, "conv2_2", 64), ("up6", 64, 32, "conv1_2", 32),
            ("up7", 32, 16, nil, 0),
        ]
        var steps: [Step] = []
        for (name, cin, cout, skip, skipChannels) in plan {
            let upsampling: Upsampling
            if name == "up1" {
                upsampling = .transposeConvolution(ConvTranspose2D(name: name, inChannels: c(cin), outChannels: c(cout),
                                                                   kernel: 5, stride: 5, random: &random))
            } else if resizeMiddle, ["up3", "up4", "up5"].contains(name) {
                upsampling = .resizeConvolution(Conv2D(name: name, inChannels: c(cin), outChannels: c(cout), kernel: 3,
                                                       padding: 1, random: &random))
            } else {
                upsampling = .transposeConvolution(ConvTranspose2D(name: name, inChannels: c(cin), outChannels: c(cout),
                                                                   kernel: 4, stride: 2, padding: 1, random: &random))
            }
            let batchNorm = BatchNorm2D(name: name + "_bn", channels: c(cout), appliesReLU: true)
            let skipBottleneck = skip.flatMap { source in
                bottleneck ? ConvBNReLU(name: "skip_" + source, inChannels: c(skipChannels), outChannels: c(cout),
                                        kernel: 1, random: &random) : nil
            }
            steps.append(Step(name: name, upsampling: upsampling, batchNorm: batchNorm, skipSource: skip,
                              skipBottleneck: skipBottleneck))
        }
        self.steps = steps
        logits = Conv2D(name: "logits", inChannels: c(16), outChannels: 2, kernel: 1, random: &random)
    }

    public var parameters: [Parameter] {
        encoder.parameters + fc1.parameters + fc2.parameters + steps.flatMap(\.parameters) + logits.parameters
    }

    public func callAsFunction(_ x: Variable, _ ctx: Context) throws -> Variable {
        ctx.named("logits", try logits(try features(x, ctx), ctx))
    }

    public func probabilities(_ x: Variable, _ ctx: Context) throws -> Tensor {
        try softmaxOfLogits(logits, try features(x, ctx), ctx)
    }

    /// Everything before the logits: `[N, c(16), S, S]` after the last skip.
    private func features(_ x: Variable, _ ctx: Context) throws -> Variable {
        try architecture.validate(inputShape: x.shape)
        let features = try encoder.features(x, ctx)
        let pool5 = ctx.named("pool5", try Op.maxPool2x2(features.output, ctx))
        var h = ctx.named("fc1", try fc1(pool5, ctx))
        h = ctx.named("fc2", try fc2(h, ctx))
        for step in steps {
            switch step.upsampling {
            case let .transposeConvolution(layer):
                h = ctx.named(step.name, try layer(h, ctx))
            case let .resizeConvolution(layer):
                h = ctx.named(step.name + "_resize", try Op.resizeNearest(h, factor: 2, ctx))
                h = ctx.named(step.name, try layer(h, ctx))
            }
            h = ctx.named(step.name + "_bn", try step.batchNorm(h, ctx))
            if step.name == "up1" { h = ctx.named("up1_add", try Op.add(h, pool5, ctx)) }
            if let source = step.skipSource, let skip = features.skips[source] {
                let branch = try step.skipBottleneck.map { ctx.named("skip_" + source, try $0(skip, ctx)) } ?? skip
                h = ctx.named(step.name + "_add", try Op.add(h, branch, ctx))
            }
        }
        return h
    }

    public func summarize(inputShape: [Int]) -> [LayerSummary] { SummaryBuilder.rows(of: self, inputShape: inputShape) }

    func walk<W: NetworkWalker>(_ s: inout W) {
        encoder.walk(&s)
        s.maxPool("pool5")
        s.convBNReLU("fc1", fc1)
        s.convBNReLU("fc2", fc2)
        for step in steps {
            switch step.upsampling {
            case let .transposeConvolution(layer):
                s.convTranspose(step.name, layer)
            case let .resizeConvolution(layer):
                s.resize(step.name + "_resize", factor: 2)
                s.conv(step.name, layer)
            }
            s.batchNorm(step.name + "_bn", step.batchNorm)
            if step.name == "up1" { s.add("up1_add", from: "pool5") }
            if let source = step.skipSource {
                if let bottleneck = step.skipBottleneck {
                    s.branch(from: Encoder.prefix + "." + source) { $0.convBNReLU("skip_" + source, bottleneck) }
                    s.add(step.name + "_add", from: "skip_" + source)
                } else {
                    s.add(step.name + "_add", from: Encoder.prefix + "." + source)
                }
            }
        }
        s.conv("logits", logits)
    }
}
