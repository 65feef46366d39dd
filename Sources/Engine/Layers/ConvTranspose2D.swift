/// Transposed 2-D convolution with bias (PyTorch `ConvTranspose2d`, no output padding).
/// Input `[N, Cin, H, W]` → `[N, Cout, (H − 1)·stride − 2·padding + k, …]`.
/// Tensors: `<name>.weight` `[Cin, Cout, k, k]`, `<name>.bias` `[Cout]`.
public final class ConvTranspose2D: Layer {
    public let weight: Parameter
    public let bias: Parameter?
    public let geometry: ConvGeometry

    public init(name: String, inChannels: Int, outChannels: Int, kernel: Int, stride: Int = 1, padding: Int = 0,
                bias: Bool = true, random: inout SeededGenerator) {
        let fanIn = outChannels * kernel * kernel
        weight = Parameter(name: join(name, "weight"),
                           value: defaultInitialization([inChannels, outChannels, kernel, kernel], fanIn: fanIn, &random))
        self.bias = bias ? Parameter(name: join(name, "bias"),
                                     value: defaultInitialization([outChannels], fanIn: fanIn, &random)) : nil
        geometry = ConvGeometry(kernel: kernel, stride: stride, padding: padding)
    }

    public var inChannels: Int { weight.shape[0] }
    public var outChannels: Int { weight.shape[1] }
    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }

    public func callAsFunction(_ x: Variable, _ ctx: Context) throws -> Variable {
        try Op.convTranspose2d(x, weight: weight, bias: bias, geometry: geometry, ctx)
    }

    /// relu(self(x)); at inference one backend call, so the ReLU can be fused.
    public func withReLU(_ x: Variable, _ ctx: Context) throws -> Variable {
        if ctx.isTraining { return try Op.relu(self(x, ctx), ctx) }
        return Variable(try ctx.backend.convTranspose2dReLUInference(x.value, weight: weight.value, bias: bias?.value,
                                                                     geometry: geometry))
    }
}
