import Engine

/// Builds an ONNX GraphProto from a network's walk: one node per stage (CBR blocks as Conv,
/// BatchNormalization, Relu), the weights as float initializers named as in the checkpoint,
/// and a softmax over the channels at the end. Field numbers are those of `onnx.proto`.
struct ONNXGraphBuilder: NetworkWalker {
    private(set) var nodes: [[UInt8]] = []
    private(set) var initializers: [[UInt8]] = []
    /// The tensor the main path has reached.
    private(set) var current: String
    /// Stage name → the tensor holding its output (skips and branches look them up).
    private var outputs: [String: String] = [:]

    init(input: String) { current = input }

    // MARK: Messages

    /// An attribute of a node (`AttributeProto`).
    enum Attribute {
        case int(String, Int)
        case ints(String, [Int])
        case float(String, Float)
        case string(String, String)

        func encode(_ w: inout ProtobufWriter) {
            // AttributeProto: name 1, f 2, i 3, s 4, ints 8, type 20 (FLOAT 1, INT 2, STRING 3, INTS 7).
            switch self {
            case let .int(name, value): w.string(1, name); w.int(3, value); w.int(20, 2)
            case let .ints(name, values): w.string(1, name); w.ints(8, values); w.int(20, 7)
            case let .float(name, value): w.string(1, name); w.float(2, value); w.int(20, 1)
            case let .string(name, value): w.string(1, name); w.string(4, value); w.int(20, 3)
            }
        }
    }

    /// Appends a node (`NodeProto`: input 1, output 2, name 3, op_type 4, attribute 5).
    mutating func node(_ op: String, name: String, inputs: [String], output: String, _ attributes: [Attribute] = []) {
        var w = ProtobufWriter()
        for input in inputs { w.string(1, input) }
        w.string(2, output)
        w.string(3, name)
        w.string(4, op)
        for attribute in attributes { w.message(5) { attribute.encode(&$0) } }
        nodes.append(w.bytes)
    }

    /// A float32 initializer (`TensorProto`: dims 1, data_type 2 (FLOAT = 1), name 8, raw_data 9).
    mutating func initializer(_ name: String, shape: [Int], _ values: [Float]) -> String {
        var w = ProtobufWriter()
        w.ints(1, shape)
        w.int(2, 1)
        w.string(8, name)
        w.data(9, ProtobufWriter.rawFloats(values))
        initializers.append(w.bytes)
        return name
    }

    private mutating func weight(_ parameter: Parameter) -> String {
        initializer(parameter.name, shape: parameter.shape, parameter.value.scalars)
    }

    /// Makes `output` the main path's tensor under stage `name`.
    private mutating func reached(_ name: String, _ output: String) {
        current = output
        outputs[name] = output
    }

    // MARK: Stages

    private mutating func convolution(_ op: String, _ name: String, _ weight: Parameter, _ bias: Parameter?,
                                      _ g: ConvGeometry) -> String {
        let inputs = [current, self.weight(weight)] + (bias.map { [self.weight($0)] } ?? [])
        node(op, name: name, inputs: inputs, output: name, [
            .ints("kernel_shape", [g.kernelH, g.kernelW]), .ints("strides", [g.stride, g.stride]),
            .ints("pads", [g.padding, g.padding, g.padding, g.padding]), .ints("dilations", [g.dilation, g.dilation]),
        ])
        return name
    }

    /// BatchNormalization in inference mode, then Relu if the layer applies one; returns the output tensor.
    private mutating func normalize(_ name: String, _ layer: BatchNorm2D, input: String) -> String {
        let inputs = [input, weight(layer.gamma), weight(layer.beta), weight(layer.runningMean), weight(layer.runningVariance)]
        let normalized = layer.appliesReLU ? name + ".batchnorm" : name
        node("BatchNormalization", name: normalized, inputs: inputs, output: normalized, [.float("epsilon", layer.epsilon)])
        guard layer.appliesReLU else { return normalized }
        node("Relu", name: name, inputs: [normalized], output: name)
        return name
    }

    mutating func convBNReLU(_ name: String, _ block: ConvBNReLU) {
        let conv = convolution("Conv", name + ".conv", block.conv.weight, block.conv.bias, block.conv.geometry)
        reached(name, normalize(name, block.bn, input: conv))
    }

    mutating func conv(_ name: String, _ layer: Conv2D) {
        reached(name, convolution("Conv", name, layer.weight, layer.bias, layer.geometry))
    }

    /// ConvTranspose takes PyTorch's weight layout [Cin, Cout, k, k] unchanged.
    mutating func convTranspose(_ name: String, _ layer: ConvTranspose2D) {
        reached(name, convolution("ConvTranspose", name, layer.weight, layer.bias, layer.geometry))
    }

    mutating func batchNorm(_ name: String, _ layer: BatchNorm2D) {
        reached(name, normalize(name, layer, input: current))
    }

    mutating func relu(_ name: String) {
        node("Relu", name: name, inputs: [current], output: name)
        reached(name, name)
    }

    mutating func maxPool(_ name: String) {
        node("MaxPool", name: name, inputs: [current], output: name,
             [.ints("kernel_shape", [2, 2]), .ints("strides", [2, 2])])
        reached(name, name)
    }

    /// Resize with scales [1, 1, f, f], nearest, asymmetric coordinates, floor: pixel (i, j) of
    /// the output reads (⌊i/f⌋, ⌊j/f⌋), PyTorch's `F.interpolate(mode="nearest")`.
    mutating func resize(_ name: String, factor: Int) {
        let scales = initializer(name + ".scales", shape: [4], [1, 1, Float(factor), Float(factor)])
        node("Resize", name: name, inputs: [current, "", scales], output: name, [
            .string("mode", "nearest"), .string("coordinate_transformation_mode", "asymmetric"),
            .string("nearest_mode", "floor"),
        ])
        reached(name, name)
    }

    mutating func add(_ name: String, from source: String) {
        node("Add", name: name, inputs: [current, outputs[source] ?? source], output: name)
        reached(name, name)
    }

    mutating func globalAveragePool(_ name: String) {
        node("GlobalAveragePool", name: name + ".pool", inputs: [current], output: name + ".pool")
        node("Flatten", name: name, inputs: [name + ".pool"], output: name, [.int("axis", 1)])
        reached(name, name)
    }

    /// y = x Wᵀ + b with W as stored, [out, in].
    mutating func linear(_ name: String, _ layer: Linear) {
        node("Gemm", name: name, inputs: [current, weight(layer.weight), weight(layer.bias)], output: name,
             [.int("transB", 1)])
        reached(name, name)
    }

    mutating func branch(from source: String, _ body: (inout ONNXGraphBuilder) -> Void) {
        let main = current
        current = outputs[source] ?? source
        body(&self)
        current = main
    }
}
