import Engine

/// The seed's normal/abnormal classifier (`Classifier` in `reference/models.py`), whose
/// encoder initialises the segmenters. Any input side divisible by 32.
///
///     encoder (not dilated)        c(512) × S/32
///     global_pool                  [N, c(512)]
///     fc1 linear →c(512), fc1_relu
///     logits linear →2             [N, 2]
public final class Classifier: SegmentationModel, WalkableNetwork {
    public let architecture = Architecture.classifier
    public let width: Double
    public let encoder: Encoder
    public let fc1: Linear
    public let logits: Linear

    init(width: Double, random: inout SeededGenerator) {
        let c = ChannelWidths(width)
        self.width = width
        encoder = Encoder(widths: c, dilated: false, random: &random)
        fc1 = Linear(name: "fc1", inFeatures: c(512), outFeatures: c(512), random: &random)
        logits = Linear(name: "logits", inFeatures: c(512), outFeatures: 2, random: &random)
    }

    public var parameters: [Parameter] { encoder.parameters + fc1.parameters + logits.parameters }

    public func callAsFunction(_ x: Variable, _ ctx: Context) throws -> Variable {
        try architecture.validate(inputShape: x.shape)
        var h = try encoder(x, ctx)
        h = ctx.named("global_pool", try Op.globalAveragePool(h, ctx))
        h = ctx.named("fc1", try fc1(h, ctx))
        h = ctx.named("fc1_relu", try Op.relu(h, ctx))
        return ctx.named("logits", try logits(h, ctx))
    }

    public func summarize(inputShape: [Int]) -> [LayerSummary] { SummaryBuilder.rows(of: self, inputShape: inputShape) }

    func walk<W: NetworkWalker>(_ s: inout W) {
        encoder.walk(&s)
        s.globalAveragePool("global_pool")
        s.linear("fc1", fc1)
        s.relu("fc1_relu")
        s.linear("logits", logits)
    }
}
