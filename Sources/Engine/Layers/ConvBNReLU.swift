/// The study's basic block `CBR`: k×k convolution with bias → batch norm → ReLU.
/// Padding defaults to dilation·(k − 1)/2 ("same" for stride 1).
/// Tensors: `<name>.conv.{weight,bias}`, `<name>.bn.{weight,bias,running_mean,running_var}`.
public final class ConvBNReLU: Layer {
    public let conv: Conv2D
    public let bn: BatchNorm2D

    public init(name: String, inChannels: Int, outChannels: Int, kernel: Int = 3, stride: Int = 1, dilation: Int = 1,
                padding: Int? = nil, random: inout SeededGenerator) {
        conv = Conv2D(name: join(name, "conv"), inChannels: inChannels, outChannels: outChannels, kernel: kernel,
                      stride: stride, padding: padding ?? dilation * (kernel - 1) / 2, dilation: dilation, random: &random)
        bn = BatchNorm2D(name: join(name, "bn"), channels: outChannels, appliesReLU: true)
    }

    public var parameters: [Parameter] { conv.parameters + bn.parameters }

    public func callAsFunction(_ x: Variable, _ ctx: Context) throws -> Variable {
        guard ctx.isTraining else {
            // Inference: one call, so the backend can fold BN into the convolution and fuse the ReLU.
            let y = try ctx.backend.convBNReLUInference(
                x.value, weight: conv.weight.value, bias: conv.bias?.value, geometry: conv.geometry,
                gamma: bn.gamma.value, beta: bn.beta.value, mean: bn.runningMean.value,
                variance: bn.runningVariance.value, epsilon: bn.epsilon)
            return Variable(y)
        }
        return try bn(conv(x, ctx), ctx)
    }

    /// self(resizeNearest(x, factor)); at inference one backend call, so the backend need
    /// not convolve the repeated pixels.
    public func afterResize(_ x: Variable, factor: Int, _ ctx: Context) throws -> Variable {
        guard ctx.isTraining else {
            let y = try ctx.backend.resizeConvBNReLUInference(
                x.value, factor: factor, weight: conv.weight.value, bias: conv.bias?.value, geometry: conv.geometry,
                gamma: bn.gamma.value, beta: bn.beta.value, mean: bn.runningMean.value,
                variance: bn.runningVariance.value, epsilon: bn.epsilon)
            return Variable(y)
        }
        return try self(Op.resizeNearest(x, factor: factor, ctx), ctx)
    }
}
