import Engine

/// A network's stages in forward order, as a walker sees them: `SummaryBuilder` follows the
/// shapes (the `summary` table), `ONNXGraphBuilder` emits an ONNX node per stage. Each model's
/// `walk` mirrors its `callAsFunction` step by step — one description, two readers: the summary
/// tests check it against the forward pass, the ONNX tests against onnxruntime.
protocol NetworkWalker {
    /// Convolution + batch norm + ReLU (the study's CBR block).
    mutating func convBNReLU(_ name: String, _ block: ConvBNReLU)
    mutating func conv(_ name: String, _ layer: Conv2D)
    mutating func convTranspose(_ name: String, _ layer: ConvTranspose2D)
    /// Batch norm in inference mode, followed by a ReLU when the layer applies one.
    mutating func batchNorm(_ name: String, _ layer: BatchNorm2D)
    mutating func relu(_ name: String)
    /// 2×2 max pool, stride 2, floor.
    mutating func maxPool(_ name: String)
    /// Nearest-neighbour upsampling by an integer factor (each pixel repeated factor × factor times).
    mutating func resize(_ name: String, factor: Int)
    /// Adds the output of the earlier stage `source` (a skip connection) to the main path.
    mutating func add(_ name: String, from source: String)
    /// [N, C, H, W] → [N, C].
    mutating func globalAveragePool(_ name: String)
    mutating func linear(_ name: String, _ layer: Linear)
    /// A side branch (a skip's bottleneck) that starts from the output of stage `source`; the main
    /// path continues afterwards from where it was.
    mutating func branch(from source: String, _ body: (inout Self) -> Void)
}

/// A network that can describe itself to a `NetworkWalker` (all six of the study's).
protocol WalkableNetwork {
    func walk<W: NetworkWalker>(_ walker: inout W)
}

extension SummaryBuilder {
    /// The `summary` rows of `network` for an input shape, computed from shapes alone.
    static func rows(of network: some WalkableNetwork, inputShape: [Int]) -> [LayerSummary] {
        var builder = SummaryBuilder(inputShape: inputShape)
        network.walk(&builder)
        return builder.rows
    }
}
