import Engine

/// One row of a network's summary: a named stage, what it computes, its output shape,
/// its trainable parameter count and its forward multiply-accumulates.
///
/// `name` is also the name under which `Context.capture` keeps that stage's output, so
/// every row of `mammoseg summary` is a feature map `inspect` can ask for.
public struct LayerSummary: Equatable, Sendable {
    public let name: String
    public let operation: String
    /// `[N, C, H, W]`, or `[N, F]` after global pooling.
    public let outputShape: [Int]
    /// Trainable weights only (batch-norm running statistics are buffers).
    public let parameterCount: Int
    /// Convolution: N·Cout·H'·W'·Cin·k²; transposed convolution: N·Cin·H·W·Cout·k²;
    /// linear: N·F·O. Batch norm, ReLU, pooling, resizing and adds count as 0.
    public let multiplyAccumulates: Int
}

/// Walks a network's stages with shapes only — the analytic twin of a forward pass, so
/// `summary` needs no arithmetic on activations. A test checks it agrees with the forward pass.
struct SummaryBuilder: NetworkWalker {
    private(set) var shape: [Int]
    private(set) var rows: [LayerSummary] = []

    init(inputShape: [Int]) { shape = inputShape }

    private mutating func append(_ name: String, _ operation: String, _ output: [Int], parameters: [Parameter] = [],
                                 macs: Int = 0) {
        shape = output
        rows.append(LayerSummary(name: name, operation: operation, outputShape: output,
                                 parameterCount: parameters.filter { $0.kind == .weight }.reduce(0) { $0 + $1.value.count },
                                 multiplyAccumulates: macs))
    }

    mutating func convBNReLU(_ name: String, _ block: ConvBNReLU) {
        let output = block.conv.geometry.convolutionShape(input: shape, outChannels: block.conv.outChannels)
        append(name, "conv \(block.conv.geometry) + BN + ReLU", output, parameters: block.parameters,
               macs: output.reduce(1, *) * block.conv.weight.value.count / block.conv.outChannels)
    }

    mutating func conv(_ name: String, _ layer: Conv2D) {
        let output = layer.geometry.convolutionShape(input: shape, outChannels: layer.outChannels)
        append(name, "conv \(layer.geometry)", output, parameters: layer.parameters,
               macs: output.reduce(1, *) * layer.weight.value.count / layer.outChannels)
    }

    mutating func convTranspose(_ name: String, _ layer: ConvTranspose2D) {
        let output = layer.geometry.transposedShape(input: shape, outChannels: layer.outChannels)
        append(name, "transpose conv \(layer.geometry)", output, parameters: layer.parameters,
               macs: shape.reduce(1, *) * layer.weight.value.count / layer.inChannels)
    }

    mutating func batchNorm(_ name: String, _ layer: BatchNorm2D) {
        append(name, layer.appliesReLU ? "BN + ReLU" : "BN", shape, parameters: layer.parameters)
    }

    mutating func relu(_ name: String) { append(name, "ReLU", shape) }

    mutating func maxPool(_ name: String) {
        append(name, "max pool 2x2 s2", [shape[0], shape[1], shape[2] / 2, shape[3] / 2])
    }

    mutating func resize(_ name: String, factor: Int) {
        append(name, "nearest resize x\(factor)", [shape[0], shape[1], shape[2] * factor, shape[3] * factor])
    }

    /// An element-wise add of `source` (a skip connection) to the main path.
    mutating func add(_ name: String, from source: String) { append(name, "add \(source)", shape) }

    mutating func globalAveragePool(_ name: String) { append(name, "global average pool", [shape[0], shape[1]]) }

    mutating func linear(_ name: String, _ layer: Linear) {
        let output = [shape[0], layer.weight.shape[0]]
        append(name, "linear", output, parameters: layer.parameters, macs: shape[0] * layer.weight.value.count)
    }

    mutating func branch(from source: String, _ body: (inout SummaryBuilder) -> Void) {
        let mainShape = shape
        shape = rows.last(where: { $0.name == source })?.outputShape ?? shape
        body(&self)
        shape = mainShape
    }
}

extension Context {
    /// Keeps `value` under `name` when asked (see `captureNames`) and returns it, so a
    /// forward pass reads as a chain of named stages.
    @discardableResult
    func named(_ name: String, _ value: Variable) -> Variable {
        capture(name, value)
        return value
    }
}
