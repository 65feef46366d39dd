import CDNNL
import Engine

/// `convTranspose2d`: oneDNN's deconvolution primitive (direct), which computes the
/// backward-data pass of a convolution with the same weight, as PyTorch's ConvTranspose2d.
extension DNNLBackend {
    public func convTranspose2d(_ x: Tensor, weight: HostTensor, bias: HostTensor?,
                                geometry: ConvGeometry) throws -> Tensor {
        let spec = try ConvolutionSpec(.deconvolution, input: x.shape, weight: weight.shape, biasCount: bias?.count,
                                       geometry: geometry, op: "convTranspose2d")
        if let equivalent = equivalentConvolutionGeometry(geometry) {
            return try runEquivalentConvolution(x, weight: weight, bias: bias, geometry: equivalent)
        }
        return try runConvolutionForward(spec, x, weight: weight, bias: bias, op: "convTranspose2d")
    }

    /// A stride-1 transposed convolution is a plain convolution with the kernel flipped,
    /// input and output channels swapped and padding k − 1 − p (same output size,
    /// H + k − 1 − 2p). oneDNN's deconvolution kernel is several times slower than its
    /// convolution kernels on the study's thin full-resolution tconv2 (DNNL_VERBOSE), so the
    /// forward pass runs as that convolution. Square kernels, no dilation, p ≤ k − 1.
    private func equivalentConvolutionGeometry(_ g: ConvGeometry) -> ConvGeometry? {
        guard g.stride == 1, g.dilation == 1, g.kernelH == g.kernelW, g.padding <= g.kernelH - 1 else { return nil }
        return ConvGeometry(kernel: g.kernelH, stride: 1, padding: g.kernelH - 1 - g.padding)
    }

    private func runEquivalentConvolution(_ x: Tensor, weight: HostTensor, bias: HostTensor?,
                                          geometry: ConvGeometry) throws -> Tensor {
        // [I, O, kh, kw] → [O, I, kh, kw], flipped in both spatial axes.
        let (inputs, outputs, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
        var flipped = [Float](repeating: 0, count: weight.count)
        for i in 0..<inputs {
            for o in 0..<outputs {
                for y in 0..<kh {
                    for x in 0..<kw {
                        flipped[((o * inputs + i) * kh + y) * kw + x] =
                            weight.scalars[((i * outputs + o) * kh + (kh - 1 - y)) * kw + (kw - 1 - x)]
                    }
                }
            }
        }
        let convolutionWeight = HostTensor(shape: [outputs, inputs, kh, kw], scalars: flipped)
        let spec = try ConvolutionSpec(.convolution, input: x.shape, weight: convolutionWeight.shape,
                                       biasCount: bias?.count, geometry: geometry, op: "convTranspose2d")
        let (forward, _) = try convolutionForward(spec)
        // Reordered every call rather than cached: the flipped array is new each time.
        let weightStorage = try converted(convolutionWeight, as: spec.userWeightDesc(),
                                          to: forward.memory(dnnl_query_weights_md))
        let biasStorage = try bias.map { try converted($0, to: forward.memory(dnnl_query_weights_md, index: 1)) }
        return try runConvolutionForward(forward, x, weight: weightStorage, bias: biasStorage, op: "convTranspose2d")
    }

    public func convTranspose2dBackward(_ dy: Tensor, x: Tensor, weight: HostTensor, hasBias: Bool,
                                        geometry: ConvGeometry, needInputGradient: Bool)
        throws -> (dx: Tensor?, dWeight: HostTensor, dBias: HostTensor?) {
        let spec = try ConvolutionSpec(.deconvolution, input: x.shape, weight: weight.shape,
                                       biasCount: hasBias && weight.shape.count == 4 ? weight.shape[1] : nil,
                                       geometry: geometry, op: "convTranspose2dBackward")
        return try runConvolutionBackward(spec, dy, x: x, weight: weight, needInputGradient: needInputGradient,
                                          op: "convTranspose2dBackward")
    }
}
