/// A dense float32 array on the host in PyTorch's row-major layout.
///
/// Parameters, optimizer state and checkpoints live here; activations live in a
/// backend's `Tensor`. Layouts by convention: activations `[N, C, H, W]`,
/// `Conv2d.weight` `[out, in, kh, kw]`, `ConvTranspose2d.weight` `[in, out, kh, kw]`,
/// `Linear.weight` `[out, in]`, vectors `[C]`.
public struct HostTensor: Equatable, Sendable {
    public var shape: [Int]
    public var scalars: [Float]

    public init(shape: [Int], scalars: [Float]) {
        precondition(shape.reduce(1, *) == scalars.count,
                     "HostTensor: shape \(shape) needs \(shape.reduce(1, *)) scalars, got \(scalars.count)")
        self.shape = shape
        self.scalars = scalars
    }

    public init(zeros shape: [Int]) {
        self.init(shape: shape, scalars: [Float](repeating: 0, count: shape.reduce(1, *)))
    }

    public init(repeating value: Float, shape: [Int]) {
        self.init(shape: shape, scalars: [Float](repeating: value, count: shape.reduce(1, *)))
    }

    public var count: Int { scalars.count }

    /// Largest |a - b| / max(1, |b|) over all elements; the tests' closeness measure.
    public func maxRelativeDifference(to other: HostTensor) -> Float {
        precondition(shape == other.shape, "shape \(shape) vs \(other.shape)")
        var worst: Float = 0
        for i in 0..<scalars.count {
            let d = abs(scalars[i] - other.scalars[i]) / max(1, abs(other.scalars[i]))
            if d.isNaN { return .infinity }
            worst = max(worst, d)
        }
        return worst
    }
}
