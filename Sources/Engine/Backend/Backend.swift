/// The seam between the engine and the code that does arithmetic.
///
/// Two implementations: `ReferenceBackend` (plain Swift loops, the executable
/// specification) and `DNNLBackend` (oneDNN, the one users run). Both pass the same
/// conformance tests. Activations are backend `Tensor`s in logical NCHW shape; weights are
/// `HostTensor`s in PyTorch's layouts so parameters, optimizers and checkpoints need no
/// backend. Every gradient a method returns has the shape of what it differentiates.
public protocol Backend: AnyObject {
    var name: String { get }

    // MARK: Edges
    /// Copies a host array (`[N, C, H, W]` or `[N, F]`) into the backend.
    func upload(_ host: HostTensor) throws -> Tensor
    /// Copies a tensor back to a plain row-major host array.
    func download(_ tensor: Tensor) throws -> HostTensor

    // MARK: Convolution
    /// y = conv(x, weight) + bias. x `[N, Cin, H, W]`, weight `[Cout, Cin, kh, kw]`,
    /// bias `[Cout]`; y `[N, Cout, H', W']` (sizes from `ConvGeometry`).
    func conv2d(_ x: Tensor, weight: HostTensor, bias: HostTensor?, geometry: ConvGeometry) throws -> Tensor
    /// Gradients of `conv2d`. `dx` is computed only when `needInputGradient`.
    func conv2dBackward(_ dy: Tensor, x: Tensor, weight: HostTensor, hasBias: Bool, geometry: ConvGeometry,
                        needInputGradient: Bool) throws -> (dx: Tensor?, dWeight: HostTensor, dBias: HostTensor?)

    /// Transposed convolution (the backward-data pass of `conv2d` with the same weight).
    /// x `[N, Cin, H, W]`, weight `[Cin, Cout, kh, kw]` (PyTorch `ConvTranspose2d`), bias `[Cout]`.
    func convTranspose2d(_ x: Tensor, weight: HostTensor, bias: HostTensor?, geometry: ConvGeometry) throws -> Tensor
    func convTranspose2dBackward(_ dy: Tensor, x: Tensor, weight: HostTensor, hasBias: Bool, geometry: ConvGeometry,
                                 needInputGradient: Bool) throws -> (dx: Tensor?, dWeight: HostTensor, dBias: HostTensor?)
    /// Inference-only `relu(convTranspose2d(x, weight, bias))` in one call, so a backend can
    /// fuse the ReLU. The default implementation runs the two ops.
    func convTranspose2dReLUInference(_ x: Tensor, weight: HostTensor, bias: HostTensor?,
                                      geometry: ConvGeometry) throws -> Tensor

    // MARK: Pooling
    /// 2×2 max pooling, stride 2 (H, W even). Returns the output and what backward needs.
    func maxPool2x2(_ x: Tensor) throws -> (y: Tensor, saved: SavedState)
    func maxPool2x2Backward(_ dy: Tensor, x: Tensor, saved: SavedState) throws -> Tensor
    /// Mean over H and W: `[N, C, H, W]` → `[N, C]`.
    func globalAveragePool(_ x: Tensor) throws -> Tensor
    func globalAveragePoolBackward(_ dy: Tensor, inputShape: [Int]) throws -> Tensor

    // MARK: Normalisation
    /// Batch normalisation with batch statistics. Returns y, the batch mean and the
    /// biased batch variance `[C]` (the caller updates running statistics).
    func batchNormTraining(_ x: Tensor, gamma: HostTensor, beta: HostTensor, epsilon: Float,
                           fuseReLU: Bool) throws -> (y: Tensor, mean: HostTensor, variance: HostTensor, saved: SavedState)
    /// Gradients of `batchNormTraining` (with its ReLU when fused; `y` is its output).
    func batchNormBackward(_ dy: Tensor, x: Tensor, y: Tensor, gamma: HostTensor, beta: HostTensor, epsilon: Float,
                           fuseReLU: Bool, saved: SavedState) throws -> (dx: Tensor, dGamma: HostTensor, dBeta: HostTensor)
    /// Batch normalisation with given (running) statistics, optional ReLU.
    func batchNormInference(_ x: Tensor, gamma: HostTensor, beta: HostTensor, mean: HostTensor, variance: HostTensor,
                            epsilon: Float, fuseReLU: Bool) throws -> Tensor

    /// Inference-only `relu(batchNormInference(conv2d(x, weight, bias), …))`, the study's
    /// conv → BN → ReLU block in one call so a backend can fold batch norm into the
    /// convolution and fuse the ReLU. The default implementation runs the three ops.
    func convBNReLUInference(_ x: Tensor, weight: HostTensor, bias: HostTensor?, geometry: ConvGeometry,
                             gamma: HostTensor, beta: HostTensor, mean: HostTensor, variance: HostTensor,
                             epsilon: Float) throws -> Tensor

    /// Inference-only `softmax(conv2d(x, weight, bias))` over channels: the classifier
    /// convolution and the class probabilities in one call, so a backend can fuse them.
    /// The default implementation runs the two ops.
    func conv2dSoftmaxInference(_ x: Tensor, weight: HostTensor, bias: HostTensor?, geometry: ConvGeometry) throws -> Tensor

    /// Inference-only `convBNReLUInference(resizeNearest(x, factor), …)`: the study's
    /// resize + conv → BN → ReLU upsampling step in one call, so a backend need not
    /// convolve the repeated pixels. The default implementation runs the two.
    func resizeConvBNReLUInference(_ x: Tensor, factor: Int, weight: HostTensor, bias: HostTensor?, geometry: ConvGeometry,
                                   gamma: HostTensor, beta: HostTensor, mean: HostTensor, variance: HostTensor,
                                   epsilon: Float) throws -> Tensor

    // MARK: Element-wise
    func relu(_ x: Tensor) throws -> Tensor
    /// dx = dy where y > 0 else 0.
    func reluBackward(_ dy: Tensor, y: Tensor) throws -> Tensor
    func add(_ a: Tensor, _ b: Tensor) throws -> Tensor
    /// Nearest-neighbour upsampling by an integer factor (pixel repetition).
    func resizeNearest(_ x: Tensor, factor: Int) throws -> Tensor
    /// Sums each source pixel's factor×factor gradients.
    func resizeNearestBackward(_ dy: Tensor, factor: Int) throws -> Tensor

    // MARK: Dense
    /// y = x·weightᵀ + bias. x `[N, F]`, weight `[O, F]`, bias `[O]`.
    func linear(_ x: Tensor, weight: HostTensor, bias: HostTensor) throws -> Tensor
    func linearBackward(_ dy: Tensor, x: Tensor, weight: HostTensor,
                        needInputGradient: Bool) throws -> (dx: Tensor?, dWeight: HostTensor, dBias: HostTensor)

    // MARK: Output
    /// Softmax over the channel axis of `[N, C, H, W]` (or `[N, C]`).
    func softmax(_ x: Tensor) throws -> Tensor
    /// The study's loss: mean over pixels of w(y)·CE(softmax(logits), y), w = 1 for
    /// class 0, `positiveWeight` for class 1. logits `[N, 2, H, W]` or `[N, 2]`;
    /// labels one byte per pixel (0 or 1), `N·H·W` of them in row-major order.
    /// Returns the loss and d loss / d logits.
    func weightedCrossEntropy(_ logits: Tensor, labels: [UInt8], positiveWeight: Float) throws -> (loss: Float, dLogits: Tensor)
}

extension Backend {
    public func resizeConvBNReLUInference(_ x: Tensor, factor: Int, weight: HostTensor, bias: HostTensor?,
                                          geometry: ConvGeometry, gamma: HostTensor, beta: HostTensor, mean: HostTensor,
                                          variance: HostTensor, epsilon: Float) throws -> Tensor {
        try convBNReLUInference(resizeNearest(x, factor: factor), weight: weight, bias: bias, geometry: geometry,
                                gamma: gamma, beta: beta, mean: mean, variance: variance, epsilon: epsilon)
    }

    public func conv2dSoftmaxInference(_ x: Tensor, weight: HostTensor, bias: HostTensor?,
                                       geometry: ConvGeometry) throws -> Tensor {
        try softmax(conv2d(x, weight: weight, bias: bias, geometry: geometry))
    }

    public func convTranspose2dReLUInference(_ x: Tensor, weight: HostTensor, bias: HostTensor?,
                                             geometry: ConvGeometry) throws -> Tensor {
        try relu(convTranspose2d(x, weight: weight, bias: bias, geometry: geometry))
    }

    public func convBNReLUInference(_ x: Tensor, weight: HostTensor, bias: HostTensor?, geometry: ConvGeometry,
                                    gamma: HostTensor, beta: HostTensor, mean: HostTensor, variance: HostTensor,
                                    epsilon: Float) throws -> Tensor {
        let y = try conv2d(x, weight: weight, bias: bias, geometry: geometry)
        return try batchNormInference(y, gamma: gamma, beta: beta, mean: mean, variance: variance, epsilon: epsilon,
                                      fuseReLU: true)
    }
}
