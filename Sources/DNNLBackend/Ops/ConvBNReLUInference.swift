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
                                       geometry: geometry, op: "convBNReLUInference", fused: .relu)
        let outChannels = spec.weightDims[0]
        for vector in [gamma, beta, mean, variance] where vector.shape != [outChannels] {
            throw EngineError.shapeMismatch(
                "convBNReLUInference: per-channel vector \(vector.shape) does not fit \(outChannels) output channels")
        }
        if let bias, bias.shape != [outChannels] {
            throw EngineError.shapeMismatch("convBNReLUInference: bias \(bias.shape) does not fit \(outChannels) output channels")
        }
        let (forward, _) = try convolutionForward(spec)
        let weightDesc = forward.memory(dnnl_query_weights_md), biasDesc = forward.memory(dnnl_query_weights_md, index: 1)
        // Folded once per set of weights and statistics, not once per pass.
        let sources = [weight.scalars, bias?.scalars ?? [], gamma.scalars, beta.scalars, mean.scalars, variance.scalars,
                       [epsilon]]
        let folded = try weights.values(for: sources, layout: PrimitiveKey("folded", weightDesc.layoutKey)) {
            let (foldedWeight, foldedBias) = Self.foldBatchNorm(weight: weight, bias: bias, gamma: gamma, beta: beta,
                                                                mean: mean, variance: variance, epsilon: epsilon)
            return [try converted(foldedWeight, as: spec.userWeightDesc(), to: weightDesc),
                    try converted(foldedBias, to: biasDesc)]
        }
        return try runConvolutionForward(forward, x, weight: folded[0], bias: folded[1], op: "convBNReLUInference")
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
