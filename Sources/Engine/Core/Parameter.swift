/// A named, trainable (or frozen) tensor of a network, or a non-trained buffer such as a
/// batch-norm running statistic.
///
/// `name` is the full checkpoint name, exactly as in `reference/models.py`
/// (e.g. `encoder.conv1.conv.weight`). `gradient` accumulates during backward and is
/// cleared by the optimizer (or `zeroGradient()`).
public final class Parameter: @unchecked Sendable {
    public enum Kind: Sendable { case weight, buffer }

    public let name: String
    public let kind: Kind
    public var value: HostTensor
    public var gradient: HostTensor
    /// Frozen parameters receive no gradient and are never changed by the optimizer.
    public var isTrainable: Bool

    public init(name: String, value: HostTensor, kind: Kind = .weight) {
        self.name = name
        self.kind = kind
        self.value = value
        self.gradient = HostTensor(zeros: value.shape)
        self.isTrainable = kind == .weight
    }

    public var shape: [Int] { value.shape }

    /// gradient += g (shapes must agree).
    public func accumulateGradient(_ g: HostTensor) {
        precondition(g.shape == value.shape, "\(name): gradient shape \(g.shape) vs \(value.shape)")
        gradient.scalars.withUnsafeMutableBufferPointer { dst in
            g.scalars.withUnsafeBufferPointer { src in
                for i in 0..<dst.count { dst[i] += src[i] }
            }
        }
    }

    public func zeroGradient() {
        gradient.scalars.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
    }
}
