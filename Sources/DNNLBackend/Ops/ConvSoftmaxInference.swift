import CDNNL
import Engine

/// Inference-time classifier convolution → softmax over two classes as a convolution on
/// logit differences and one in-place logistic pass.
///
/// With two classes softmax is a logistic of the logit difference:
/// p₀ = e^z₀ / (e^z₀ + e^z₁) = σ(z₀ − z₁), p₁ = σ(z₁ − z₀). Both differences are linear
/// in x, so a convolution with weights (w₀ − w₁, w₁ − w₀) and biases (b₀ − b₁, b₁ − b₀)
/// followed by σ gives the probabilities: no per-pixel max/exp/sum softmax (which at 256²
/// was a fifth of an inference pass). σ runs as a separate eltwise over the flat buffer:
/// as a post-op of the 2-channel convolution it filled 2 of 16 vector lanes and cost 5×
/// the convolution itself (DNNL_VERBOSE). Other class counts use the two-op default.
extension DNNLBackend {
    public func conv2dSoftmaxInference(_ x: Tensor, weight: HostTensor, bias: HostTensor?,
                                       geometry: ConvGeometry) throws -> Tensor {
        guard weight.shape.count == 4, weight.shape[0] == 2 else {
            return try softmax(conv2d(x, weight: weight, bias: bias, geometry: geometry))
        }
        let spec = try ConvolutionSpec(.convolution, input: x.shape, weight: weight.shape, biasCount: 2,
                                       geometry: geometry, op: "conv2dSoftmaxInference")
        if let bias, bias.shape != [2] {
            throw EngineError.shapeMismatch("conv2dSoftmaxInference: bias \(bias.shape) does not fit 2 output channels")
        }
        let (forward, _) = try convolutionForward(spec)
        let differences = try derivedWeights(for: forward, spec, sources: [weight.scalars, bias?.scalars ?? []],
                                             kind: "logit-differences") {
            let (w, b) = Self.logitDifferences(weight: weight, bias: bias)
            return (w, b)
        }
        let y = try runConvolutionForward(forward, x, weight: differences.weight, bias: differences.bias,
                                          op: "conv2dSoftmaxInference")
        try logisticInPlace(storage(of: y, "conv2dSoftmaxInference"))
        return y
    }

    /// σ(x) = 1 / (1 + e^−x) on every element, in place (oneDNN eltwise, inference).
    private func logisticInPlace(_ data: DNNLStorage) throws {
        let forward = try primitive(PrimitiveKey("logistic.inference", data.desc.layoutKey)) {
            var dataDesc = data.desc
            var desc = dnnl_eltwise_desc_t()
            try dnnlCall("dnnl_eltwise_forward_desc_init") {
                dnnl_eltwise_forward_desc_init(&desc, dnnl_forward_inference, dnnl_eltwise_logistic, &dataDesc, 0, 0)
            }
            return try makePrimitive(&desc)
        }
        try execute(forward, [Argument(DNNL_ARG_SRC, data), Argument(DNNL_ARG_DST, data)])
    }

    /// Weight `[2, C, kh, kw]` and bias `[2]` of z₀ − z₁ (channel 0) and z₁ − z₀ (channel 1).
    static func logitDifferences(weight: HostTensor, bias: HostTensor?) -> (HostTensor, HostTensor) {
        let half = weight.count / 2
        let w = weight.scalars
        let first = (0..<half).map { w[$0] - w[half + $0] }
        let b = bias?.scalars ?? [0, 0]
        return (HostTensor(shape: weight.shape, scalars: first + first.map { -$0 }),
                HostTensor(shape: [2], scalars: [b[0] - b[1], b[1] - b[0]]))
    }
}
