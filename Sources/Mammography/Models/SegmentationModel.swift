import Engine

/// One of the study's networks, built for a width multiplier: the layer (forward pass and
/// named parameters) plus what the tools need to know about it.
///
/// Input `[N, 1, H, W]` with H and W multiples of `architecture.sizeDivisor` (checked
/// before any work). Output logits `[N, 2, H, W]` for the segmenters, `[N, 2]` for the
/// classifier. `parameters` lists the reference `state_dict` (minus `num_batches_tracked`)
/// with the same names, shapes and order.
///
/// The forward pass offers every stage's output to `Context.capture` under the stage's
/// name — the reference's module names ("encoder.conv5_4", "up1", "tconv1", "logits") plus
/// named functional steps ("encoder.pool1", "up1_resize", "tconv1_relu", "up2_add", "pool5")
/// — exactly the row names of `summarize`.
public protocol SegmentationModel: Layer {
    var architecture: Architecture { get }
    var width: Double { get }
    /// The rows of `mammoseg summary` for an input shape, computed from shapes alone.
    func summarize(inputShape: [Int]) -> [LayerSummary]
    /// Class probabilities, softmax over the channels of `self(x, ctx)`: `[N, 2, H, W]`
    /// (`[N, 2]` for the classifier). Channel 1 is P(abnormal).
    func probabilities(_ x: Variable, _ ctx: Context) throws -> Tensor
}

extension SegmentationModel {
    public func probabilities(_ x: Variable, _ ctx: Context) throws -> Tensor {
        try ctx.backend.softmax(self(x, ctx).value)
    }
}

/// softmax(logits(h)) for a network that ends in a logits convolution: at inference one
/// backend call (the convolution and the softmax fused) unless the logits are being captured.
func softmaxOfLogits(_ logits: Conv2D, _ h: Variable, _ ctx: Context) throws -> Tensor {
    if !ctx.isTraining, !ctx.captureNames.contains("logits") {
        return try ctx.backend.conv2dSoftmaxInference(h.value, weight: logits.weight.value, bias: logits.bias?.value,
                                                      geometry: logits.geometry)
    }
    return try ctx.backend.softmax(ctx.named("logits", try logits(h, ctx)).value)
}

extension SegmentationModel {
    /// Tensors of the shared encoder (names starting with "encoder."), the part that
    /// transfer learning copies from the classifier and may freeze.
    public var encoderParameters: [Parameter] {
        parameters.filter { $0.name.hasPrefix(Encoder.prefix + ".") }
    }

    /// Number of trainable-kind scalars (weights, not buffers), frozen or not: the count
    /// PyTorch's `sum(p.numel() for p in model.parameters())` gives.
    public var weightCount: Int {
        parameters.filter { $0.kind == .weight }.reduce(0) { $0 + $1.value.count }
    }

    /// Freezes (or unfreezes) every encoder weight; returns their names. Frozen batch-norm
    /// layers run in inference mode, so a training step then changes no encoder tensor at all.
    @discardableResult
    public func setEncoderFrozen(_ frozen: Bool) -> [String] {
        let isEncoder = { (name: String) in name.hasPrefix(Encoder.prefix + ".") }
        return frozen ? freeze(parameters, where: isEncoder) : unfreeze(parameters, where: isEncoder)
    }
}

/// Builds a network with freshly initialised weights (PyTorch's default init scheme,
/// drawn from `SeededGenerator(seed:)` in parameter order).
public func makeModel(_ architecture: Architecture, width: Double = 1.0, seed: UInt64 = 0) throws -> any SegmentationModel {
    guard ChannelWidths.isValid(width) else { throw ModelError.invalidWidth(width) }
    var random = SeededGenerator(seed: seed)
    switch architecture {
    case .dilatedResize:
        return DilatedResize(width: width, transposeFirst: false, random: &random)
    case .dilatedTransposeFirst:
        return DilatedResize(width: width, transposeFirst: true, random: &random)
    case .fcnTranspose:
        return FCN(width: width, bottleneck: false, resizeMiddle: false, random: &random)
    case .fcnTransposeBottleneck:
        return FCN(width: width, bottleneck: true, resizeMiddle: false, random: &random)
    case .fcnHybrid:
        return FCN(width: width, bottleneck: true, resizeMiddle: true, random: &random)
    case .classifier:
        return Classifier(width: width, random: &random)
    }
}
