import CDNNL
import Engine

/// `conv2d`: oneDNN convolution (Winograd for 3×3 stride-1 undilated kernels when
/// available, direct otherwise), forward-training so the backward passes can use it as hint.
extension DNNLBackend {
    public func conv2d(_ x: Tensor, weight: HostTensor, bias: HostTensor?, geometry: ConvGeometry) throws -> Tensor {
        let spec = try ConvolutionSpec(.convolution, input: x.shape, weight: weight.shape, biasCount: bias?.count,
                                       geometry: geometry, op: "conv2d")
        return try runConvolutionForward(spec, x, weight: weight, bias: bias, op: "conv2d")
    }

    public func conv2dBackward(_ dy: Tensor, x: Tensor, weight: HostTensor, hasBias: Bool, geometry: ConvGeometry,
                               needInputGradient: Bool) throws -> (dx: Tensor?, dWeight: HostTensor, dBias: HostTensor?) {
        let spec = try ConvolutionSpec(.convolution, input: x.shape, weight: weight.shape,
                                       biasCount: hasBias ? weight.shape.first : nil, geometry: geometry,
                                       op: "conv2dBackward")
        return try runConvolutionBackward(spec, dy, x: x, weight: weight, needInputGradient: needInputGradient,
                                          op: "conv2dBackward")
    }
}
