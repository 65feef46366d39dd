import CDNNL
import Engine

/// `convTranspose2d`: PyTorch's ConvTranspose2d (the backward-data pass of a convolution
/// with the same weight). Forward runs as an ordinary oneDNN convolution where one exists
/// (stride 1: flipped kernel; stride s with k a multiple of s: the phase decomposition),
/// else as oneDNN's deconvolution primitive; backward always uses the deconvolution primitives.
extension DNNLBackend {
    public func convTranspose2d(_ x: Tensor, weight: HostTensor, bias: HostTensor?,
                                geometry: ConvGeometry) throws -> Tensor {
        try transposedConvolutionForward(x, weight: weight, bias: bias, geometry: geometry, fusedReLU: false)
    }

    /// The ReLU runs as a post-op of the convolution that computes the transposed one
    /// (stride 1 or the phase decomposition), else as a separate pass.
    public func convTranspose2dReLUInference(_ x: Tensor, weight: HostTensor, bias: HostTensor?,
                                             geometry: ConvGeometry) throws -> Tensor {
        try transposedConvolutionForward(x, weight: weight, bias: bias, geometry: geometry, fusedReLU: true)
    }

    private func transposedConvolutionForward(_ x: Tensor, weight: HostTensor, bias: HostTensor?, geometry: ConvGeometry,
                                              fusedReLU: Bool) throws -> Tensor {
        let spec = try ConvolutionSpec(.deconvolution, input: x.shape, weight: weight.shape, biasCount: bias?.count,
                                       geometry: geometry, op: "convTranspose2d")
        if let equivalent = equivalentConvolutionGeometry(geometry) {
            return try runEquivalentConvolution(x, weight: weight, bias: bias, geometry: equivalent, fusedReLU: fusedReLU)
        }
        if let phases = PhaseDecomposition(transposed: spec) {
            return try runDecomposed(phases, x, hasBias: bias != nil, sources: [weight.scalars, bias?.scalars ?? []],
                                     fusedReLU: fusedReLU, op: "convTranspose2d") { (weight, bias) }
        }
        let y = try runConvolutionForward(spec, x, weight: weight, bias: bias, op: "convTranspose2d")
        return fusedReLU ? try relu(y) : y
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

    private func runEquivalentConvolution(_ x: Tensor, weight: HostTensor, bias: HostTensor?, geometry: ConvGeometry,
                                          fusedReLU: Bool) throws -> Tensor {
        let (inputs, outputs, kh, kw) = (weight.shape[0], weight.shape[1], weight.shape[2], weight.shape[3])
        let spec = try ConvolutionSpec(.convolution, input: x.shape, weight: [outputs, inputs, kh, kw],
                                       biasCount: bias?.count, geometry: geometry, op: "convTranspose2d",
                                       fusedReLU: fusedReLU)
        if fusedReLU, Self.runsThin(spec) {
            return try runThin(spec, x, sources: [weight.scalars, bias?.scalars ?? []], relu: true, op: "convTranspose2d") {
                (Self.flippedTransposedWeight(weight), bias)
            }
        }
        let (forward, _) = try convolutionForward(spec)
        let flipped = try derivedWeights(for: forward, spec, sources: [weight.scalars, bias?.scalars ?? []],
                                         kind: "flipped") {
            (Self.flippedTransposedWeight(weight), bias)
        }
        return try runConvolutionForward(forward, x, weight: flipped.weight, bias: flipped.bias, op: "convTranspose2d")
    }

    /// [I, O, kh, kw] → [O, I, kh, kw], flipped in both spatial axes: the stride-1 transposed
    /// convolution's weight as an ordinary convolution's.
    private static func flippedTransposedWeight(_ weight: HostTensor) -> HostTensor {
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
        return HostTensor(shape: [outputs, inputs, kh, kw], scalars: flipped)
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
