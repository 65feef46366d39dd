import Engine

/// The seed's final network (its Figure 11; `DilatedResize` in `reference/models.py`):
/// dilated encoder at S/32, no skip connections, nearest resize + 3×3 conv upsampling,
/// and only the last two pre-logit layers transposed convs (stride 2, then stride 1 to
/// smooth artifacts). Stages (c = channel widths):
///
///     encoder (dilated)                          c(512) × S/32
///     up1_resize ×2, up1 CBR c(512)→c(512)       S/16
///       (transposeFirst: up1 4×4/2 transpose conv, up1_bn BN + ReLU)
///     up2_resize ×2, up2 CBR →c(128), up3 CBR →c(64)         S/8
///     up4_resize ×4, up4 CBR →c(32), up5 CBR →c(32)          S/2
///     tconv1 4×4/2 transpose →c(16), tconv1_relu             S
///     tconv2 3×3/1 transpose →c(8), tconv2_relu              S
///     logits 1×1 conv →2                                     S
public final class DilatedResize: SegmentationModel, WalkableNetwork {
    /// The first S/32 → S/16 step: the seed's resize + conv, or a stride-2 transpose conv
    /// followed by BN + ReLU (its Figures 6–7, which show checkerboard artifacts).
    public enum FirstUpsampling {
        case resizeConvolution(ConvBNReLU)
        case transposeConvolution(ConvTranspose2D, BatchNorm2D)
    }

    public let architecture: Architecture
    public let width: Double
    public let encoder: Encoder
    public let up1: FirstUpsampling
    public let up2, up3, up4, up5: ConvBNReLU
    public let tconv1, tconv2: ConvTranspose2D
    public let logits: Conv2D

    init(width: Double, transposeFirst: Bool, random: inout SeededGenerator) {
        let c = ChannelWidths(width)
        architecture = transposeFirst ? .dilatedTransposeFirst : .dilatedResize
        self.width = width
        encoder = Encoder(widths: c, dilated: true, random: &random)
        up1 = transposeFirst
            ? .transposeConvolution(ConvTranspose2D(name: "up1", inChannels: c(512), outChannels: c(512), kernel: 4,
                                                    stride: 2, padding: 1, random: &random),
                                    BatchNorm2D(name: "up1_bn", channels: c(512), appliesReLU: true))
            : .resizeConvolution(ConvBNReLU(name: "up1", inChannels: c(512), outChannels: c(512), random: &random))
        up2 = ConvBNReLU(name: "up2", inChannels: c(512), outChannels: c(128), random: &random)
        up3 = ConvBNReLU(name: "up3", inChannels: c(128), outChannels: c(64), random: &random)
        up4 = ConvBNReLU(name: "up4", inChannels: c(64), outChannels: c(32), random: &random)
        up5 = ConvBNReLU(name: "up5", inChannels: c(32), outChannels: c(32), random: &random)
        tconv1 = ConvTranspose2D(name: "tconv1", inChannels: c(32), outChannels: c(16), kernel: 4, stride: 2, padding: 1,
                                 random: &random)
        tconv2 = ConvTranspose2D(name: "tconv2", inChannels: c(16), outChannels: c(8), kernel: 3, stride: 1, padding: 1,
                                 random: &random)
        logits = Conv2D(name: "logits", inChannels: c(8), outChannels: 2, kernel: 1, random: &random)
    }

    public var parameters: [Parameter] {
        let first: [Parameter]
        switch up1 {
        case let .resizeConvolution(block): first = block.parameters
        case let .transposeConvolution(conv, bn): first = conv.parameters + bn.parameters
        }
        return encoder.parameters + first + [up2, up3, up4, up5].flatMap(\.parameters)
            + tconv1.parameters + tconv2.parameters + logits.parameters
    }

    public func callAsFunction(_ x: Variable, _ ctx: Context) throws -> Variable {
        ctx.named("logits", try logits(try features(x, ctx), ctx))
    }

    public func probabilities(_ x: Variable, _ ctx: Context) throws -> Tensor {
        try softmaxOfLogits(logits, try features(x, ctx), ctx)
    }

    /// Everything before the logits: `[N, c(8), S, S]` after tconv2's ReLU.
    private func features(_ x: Variable, _ ctx: Context) throws -> Variable {
        try architecture.validate(inputShape: x.shape)
        var h = try encoder(x, ctx)
        switch up1 {
        case let .resizeConvolution(block):
            h = try resizeThen(block, "up1", factor: 2, h, ctx)
        case let .transposeConvolution(conv, bn):
            h = ctx.named("up1", try conv(h, ctx))
            h = ctx.named("up1_bn", try bn(h, ctx))
        }
        h = try resizeThen(up2, "up2", factor: 2, h, ctx)
        h = ctx.named("up3", try up3(h, ctx))
        h = try resizeThen(up4, "up4", factor: 4, h, ctx)
        h = ctx.named("up5", try up5(h, ctx))
        h = try transposeReLU(tconv1, "tconv1", h, ctx)
        return try transposeReLU(tconv2, "tconv2", h, ctx)
    }

    /// block(resize(x)) named "<name>_resize" and "<name>"; at inference one backend call
    /// unless the resized map is being captured.
    private func resizeThen(_ block: ConvBNReLU, _ name: String, factor: Int, _ x: Variable,
                            _ ctx: Context) throws -> Variable {
        if !ctx.isTraining, !ctx.captureNames.contains(name + "_resize") {
            return ctx.named(name, try block.afterResize(x, factor: factor, ctx))
        }
        let resized = ctx.named(name + "_resize", try Op.resizeNearest(x, factor: factor, ctx))
        return ctx.named(name, try block(resized, ctx))
    }

    /// relu(conv(x)) named "<name>" and "<name>_relu"; at inference one fused backend call
    /// unless the pre-ReLU map is being captured.
    private func transposeReLU(_ conv: ConvTranspose2D, _ name: String, _ x: Variable, _ ctx: Context) throws -> Variable {
        if !ctx.isTraining, !ctx.captureNames.contains(name) {
            return ctx.named(name + "_relu", try conv.withReLU(x, ctx))
        }
        let y = ctx.named(name, try conv(x, ctx))
        return ctx.named(name + "_relu", try Op.relu(y, ctx))
    }

    public func summarize(inputShape: [Int]) -> [LayerSummary] { SummaryBuilder.rows(of: self, inputShape: inputShape) }

    func walk<W: NetworkWalker>(_ s: inout W) {
        encoder.walk(&s)
        switch up1 {
        case let .resizeConvolution(block):
            s.resize("up1_resize", factor: 2)
            s.convBNReLU("up1", block)
        case let .transposeConvolution(conv, bn):
            s.convTranspose("up1", conv)
            s.batchNorm("up1_bn", bn)
        }
        s.resize("up2_resize", factor: 2)
        s.convBNReLU("up2", up2)
        s.convBNReLU("up3", up3)
        s.resize("up4_resize", factor: 4)
        s.convBNReLU("up4", up4)
        s.convBNReLU("up5", up5)
        s.convTranspose("tconv1", tconv1)
        s.relu("tconv1_relu")
        s.convTranspose("tconv2", tconv2)
        s.relu("tconv2_relu")
        s.conv("logits", logits)
    }
}
