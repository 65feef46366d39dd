import CDNNL
import Engine

/// Inference-time conv → batch norm → ReLU as one oneDNN convolution: batch norm is folded
/// into the weights and bias, and ReLU runs as an eltwise post-op inside the convolution.
///
/// With scale_o = γ_o / √(σ²_o + ε):  w′[o, i, y, x] = w[o, i, y, x]·scale_o,
/// b′_o = (b_o − μ_o)·scale_o + β_o, so y = relu(conv(x, w′) + b′).
extension DNNLBackend {
    public func convBNReLUInference(_ x: Tensor, weight: HostTensor, bias: HostTensor?, geometry: ConvGeometry,
                                    gamma: HostTensor, beta: HostTensor, mean: HostTensor, variance: HostTensor,
                                    epsilon: Float) throws -> Tensor {
        let spec = try ConvolutionSpec(.convolution, input: x.shape, weight: weight.shape, biasCount: weight.shape.first,
                                       geometry: geometry, op: "convBNReLUInference", fusedReLU: true)
        try Self.checkBatchNorm(spec, bias: bias, [gamma, beta, mean, variance], op: "convBNReLUInference")
        if let winograd = ownWinograd(for: spec) {
            return try runWinograd(winograd, x, sources: Self.sources(weight, bias, gamma, beta, mean, variance, epsilon),
                                   op: "convBNReLUInference") {
                Self.foldBatchNorm(weight: weight, bias: bias, gamma: gamma, beta: beta, mean: mean, variance: variance,
                                   epsilon: epsilon)
            }
        }
        if Self.runsThin(spec) {
            return try runThin(spec, x, sources: Self.sources(weight, bias, gamma, beta, mean, variance, epsilon), relu: true,
                               op: "convBNReLUInference") {
                Self.foldBatchNorm(weight: weight, bias: bias, gamma: gamma, beta: beta, mean: mean, variance: variance,
                                   epsilon: epsilon)
            }
        }
        let (forward, _) = try convolutionForward(spec)
        // Folded once per set of weights and statistics, not once per pass.
        let folded = try derivedWeights(for: forward, spec, sources: Self.sources(weight, bias, gamma, beta, mean, variance,
                                                                                  epsilon), kind: "folded") {
            Self.foldBatchNorm(weight: weight, bias: bias, gamma: gamma, beta: beta, mean: mean, variance: variance,
                               epsilon: epsilon)
        }
        return try runConvolutionForward(forward, x, weight: folded.weight, bias: folded.bias, op: "convBNReLUInference")
    }

    /// Resize ×factor then conv → BN → ReLU, as one convolution on the small input plus a
    /// pixel shuffle (`PhaseDecomposition`) where that was measured faster than convolving
    /// the repeated pixels (`prefersDecomposition`), else the two steps.
    public func resizeConvBNReLUInference(_ x: Tensor, factor: Int, weight: HostTensor, bias: HostTensor?,
                                          geometry: ConvGeometry, gamma: HostTensor, beta: HostTensor, mean: HostTensor,
                                          variance: HostTensor, epsilon: Float) throws -> Tensor {
        guard x.shape.count == 4, factor >= 1 else {
            throw EngineError.shapeMismatch("resizeConvBNReLUInference: input \(x.shape) must be [N, C, H, W], factor ≥ 1")
        }
        let upsampled = [x.shape[0], x.shape[1], x.shape[2] * factor, x.shape[3] * factor]
        let spec = try ConvolutionSpec(.convolution, input: upsampled, weight: weight.shape, biasCount: weight.shape.first,
                                       geometry: geometry, op: "resizeConvBNReLUInference", fusedReLU: true)
        guard Self.prefersDecomposition(factor: factor, spec),
              let phases = PhaseDecomposition(resizedBy: factor, then: spec) else {
            return try convBNReLUInference(resizeNearest(x, factor: factor), weight: weight, bias: bias, geometry: geometry,
                                           gamma: gamma, beta: beta, mean: mean, variance: variance, epsilon: epsilon)
        }
        try Self.checkBatchNorm(spec, bias: bias, [gamma, beta, mean, variance], op: "resizeConvBNReLUInference")
        return try runDecomposed(phases, x, hasBias: true,
                                 sources: Self.sources(weight, bias, gamma, beta, mean, variance, epsilon), fusedReLU: true,
                                 op: "resizeConvBNReLUInference") {
            Self.foldBatchNorm(weight: weight, bias: bias, gamma: gamma, beta: beta, mean: mean, variance: variance,
                               epsilon: epsilon)
        }
    }

    /// The decomposition does 2.25× (×2) to 4× (×4 and up) fewer multiply-adds than the
    /// upsampled convolution; Winograd, where it applies (≥ 32 channels), does 4× fewer plus
    /// transforms. Measured on dilated-resize (DNNL_VERBOSE, 2 cores): ×4 and thin layers
    /// always gain (up4 at 256², width 0.25: 1.6 → 0.6 ms); at ×2 the decomposition won on
    /// up2 (512 → 128 channels: 17.5 → 13.9 ms at 640², width 1.0; 1.1 → 0.7 ms at 256²,
    /// 0.25) and lost on up1 (512 → 512: 10.4 → 14.8 ms; 0.69 → 0.85 ms), so ×2 layers
    /// that keep their width stay with Winograd.
    static func prefersDecomposition(factor: Int, _ spec: ConvolutionSpec) -> Bool {
        let (outChannels, inChannels) = (spec.weightDims[0], spec.weightDims[1])
        let winograd = spec.candidateAlgorithms.first == dnnl_convolution_winograd
        return factor >= 4 || !winograd || outChannels < inChannels
    }

    /// What a folded weight is computed from (the weight-cache key).
    static func sources(_ weight: HostTensor, _ bias: HostTensor?, _ gamma: HostTensor, _ beta: HostTensor,
                        _ mean: HostTensor, _ variance: HostTensor, _ epsilon: Float) -> [[Float]] {
        [weight.scalars, bias?.scalars ?? [], gamma.scalars, beta.scalars, mean.scalars, variance.scalars, [epsilon]]
    }

    /// Throws unless every per-channel vector (and the bias) has one value per output channel.
    static func checkBatchNorm(_ spec: ConvolutionSpec, bias: HostTensor?, _ vectors: [HostTensor], op: String) throws {
        let outChannels = spec.weightDims[0]
        for vector in vectors where vector.shape != [outChannels] {
            throw EngineError.shapeMismatch("\(op): per-channel vector \(vector.shape) does not fit \(outChannels) output channels")
        }
        if let bias, bias.shape != [outChannels] {
            throw EngineError.shapeMismatch("\(op): bias \(bias.shape) does not fit \(outChannels) output channels")
        }
    }

    /// The folded weight and bias (formulas above), in PyTorch's layouts.
    static func foldBatchNorm(weight: HostTensor, bias: HostTensor?, gamma: HostTensor, beta: HostTensor,
                              mean: HostTensor, variance: HostTensor, epsilon: Float) -> (HostTensor, HostTensor) {
        let outChannels = weight.shape[0]
        let perChannel = weight.count / outChannels
        var folded = weight.scalars
        var foldedBias = [Float](repeating: 0, count: outChannels)
        folded.withUnsafeMutableBufferPointer { w in
            for o in 0..<outChannels {
                let scale = gamma.scalars[o] / (variance.scalars[o] + epsilon).squareRoot()
                for i in (o * perChannel)..<((o + 1) * perChannel) { w[i] *= scale }
                foldedBias[o] = ((bias?.scalars[o] ?? 0) - mean.scalars[o]) * scale + beta.scalars[o]
            }
        }
        return (HostTensor(shape: weight.shape, scalars: folded), HostTensor(shape: [outChannels], scalars: foldedBias))
    }
}
