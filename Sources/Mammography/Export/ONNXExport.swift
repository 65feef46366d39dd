import Engine

/// A network as an ONNX model (opset 17, IR version 8): input `image` [N, 1, H, W] float32 in
/// [0, 1] (the prepared image, as `predict` feeds the network), output `probabilities` — the
/// softmax over the two classes, [N, 2, H, W] for the segmenters, [N, 2] for the classifier;
/// N, H and W dynamic (H and W multiples of the architecture's size divisor). Batch norm stays
/// a BatchNormalization node (runtimes fold it); weights keep their checkpoint names.
public enum ONNXExport {
    public static let opsetVersion = 17
    public static let irVersion = 8
    public static let inputName = "image"
    public static let outputName = "probabilities"

    /// The serialized ModelProto; `metadata` becomes its metadata_props (architecture, width,
    /// preprocessing policy, …).
    public static func model(of network: any SegmentationModel, metadata: [String: String]) throws -> [UInt8] {
        guard let walkable = network as? WalkableNetwork else {
            throw ModelError.exportUnsupported(network.architecture)
        }
        var graph = ONNXGraphBuilder(input: inputName)
        walkable.walk(&graph)
        graph.node("Softmax", name: outputName, inputs: [graph.current], output: outputName, [.int("axis", 1)])

        let spatial = network.architecture.isSegmenter
        var model = ProtobufWriter()
        // ModelProto: ir_version 1, producer_name 2, producer_version 3, doc_string 6, graph 7,
        // opset_import 8, metadata_props 14.
        model.int(1, irVersion)
        model.string(2, "mammoseg")
        model.string(3, "1")
        model.string(6, "MammoSeg \(network.architecture.rawValue), width \(network.width): P(normal), P(abnormal) "
                     + (spatial ? "per pixel" : "per image") + " for an image scaled to [0, 1].")
        model.message(7) { g in
            // GraphProto: node 1, name 2, initializer 5, input 11, output 12.
            for node in graph.nodes { g.data(1, node) }
            g.string(2, "mammoseg_" + network.architecture.rawValue.replacingOccurrences(of: "-", with: "_"))
            for tensor in graph.initializers { g.data(5, tensor) }
            g.message(11) { valueInfo(&$0, inputName, dimensions: [.symbol("N"), .size(1), .symbol("H"), .symbol("W")]) }
            g.message(12) {
                valueInfo(&$0, outputName, dimensions: spatial ? [.symbol("N"), .size(2), .symbol("H"), .symbol("W")]
                                                               : [.symbol("N"), .size(2)])
            }
        }
        model.message(8) { $0.int(2, opsetVersion) }  // OperatorSetIdProto: domain 1 (default ""), version 2
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            model.message(14) { $0.string(1, key); $0.string(2, value) }  // StringStringEntryProto
        }
        return model.bytes
    }

    private enum Dimension { case size(Int), symbol(String) }

    /// ValueInfoProto (name 1, type 2) of a float32 tensor: TypeProto.tensor_type 1 →
    /// elem_type 1 (FLOAT), shape 2 → dim 1 → dim_value 1 | dim_param 2.
    private static func valueInfo(_ w: inout ProtobufWriter, _ name: String, dimensions: [Dimension]) {
        w.string(1, name)
        w.message(2) { type in
            type.message(1) { tensor in
                tensor.int(1, 1)
                tensor.message(2) { shape in
                    for dimension in dimensions {
                        shape.message(1) {
                            switch dimension {
                            case let .size(value): $0.int(1, value)
                            case let .symbol(name): $0.string(2, name)
                            }
                        }
                    }
                }
            }
        }
    }
}
