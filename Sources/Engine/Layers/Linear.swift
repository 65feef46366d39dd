/// Fully connected layer: `[N, F]` → `[N, O]`, y = x·Wᵀ + b.
/// Tensors: `<name>.weight` `[O, F]`, `<name>.bias` `[O]`.
public final class Linear: Layer {
    public let weight: Parameter
    public let bias: Parameter

    public init(name: String, inFeatures: Int, outFeatures: Int, random: inout SeededGenerator) {
        weight = Parameter(name: join(name, "weight"),
                           value: defaultInitialization([outFeatures, inFeatures], fanIn: inFeatures, &random))
        bias = Parameter(name: join(name, "bias"), value: defaultInitialization([outFeatures], fanIn: inFeatures, &random))
    }

    public var parameters: [Parameter] { [weight, bias] }

    public func callAsFunction(_ x: Variable, _ ctx: Context) throws -> Variable {
        try Op.linear(x, weight: weight, bias: bias, ctx)
    }
}
