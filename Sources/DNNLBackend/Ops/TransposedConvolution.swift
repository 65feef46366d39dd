import CDNNL
import Engine

/// `convTranspose2d`: oneDNN's deconvolution primitive (direct), which computes the
/// backward-data pass of a convolution with the same weight, as PyTorch's ConvTranspose2d.
extension DNNLBackend {
    public func convTranspose2d(_ x: Tensor, weight: HostTensor, bias: HostTensor?,
                                geometry: ConvGeometry) throws -> Tensor {
        let spec = try ConvolutionSpec(.deconvolution, input: x.shape, weight: weight.shape, biasCount: bias?.count,
                                       geometry: geometry, op: "convTranspose2d")
        return try runConvolutionForward(spec, x, weight: weight, bias: bias, op: "convTranspose2d")
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
