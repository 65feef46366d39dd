/// 2-D convolution with bias. Input `[N, Cin, H, W]` → output `[N, Cout, H', W']`,
/// H' = ⌊(H + 2·padding − dilation·(k − 1) − 1)/stride⌋ + 1.
/// Tensors: `<name>.weight` `[Cout, Cin, k, k]`, `<name>.bias` `[Cout]`.
public final class Conv2D: Layer {
    public let weight: Parameter
    public let bias: Parameter?
    public let geometry: ConvGeometry

    public init(name: String, inChannels: Int, outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                dilation: Int = 1, bias: Bool = true, random: inout SeededGenerator) {
        let fanIn = inChannels * kernel * kernel
        weight = Parameter(name: join(name, "weight"),
                           value: defaultInitialization([outChannels, inChannels, kernel, kernel], fanIn: fanIn, &random))
        self.bias = bias ? Parameter(name: join(name, "bias"),
                                     value: defaultInitialization([outChannels], fanIn: fanIn, &random)) : nil
        geometry = ConvGeometry(kernel: kernel, stride: stride, padding: padding, dilation: dilation)
    }

    public var inChannels: Int { weight.shape[1] }
    public var outChannels: Int { weight.shape[0] }
    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }

    public func callAsFunction(_ x: Variable, _ ctx: Context) throws -> Variable {
        try Op.conv2d(x, weight: weight, bias: bias, geometry: geometry, ctx)
    }
}
