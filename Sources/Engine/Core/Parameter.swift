/// A named, trainable (or frozen) tensor of a network, or a non-trained buffer such as a
/// batch-norm running statistic.
///
/// `name` is the full checkpoint name, exactly as in `reference/models.py`
/// (e.g. `encoder.conv1.conv.weight`). `gradient` accumulates during backward and is
/// cleared by the optimizer (or `zeroGradient()`). A cleared gradient holds no memory (like
/// PyTorch's `zero_grad(set_to_none=True)`): the next forward pass, the memory peak of a
/// training step, then needs no room for gradients, and the first backward contribution is
/// taken as it is instead of being added to zeros.
public final class Parameter: @unchecked Sendable {
    public enum Kind: Sendable { case weight, buffer }

    public let name: String
    public let kind: Kind
    public var value: HostTensor
    /// d loss / d value; zeros when nothing has been accumulated since the last clear.
    public var gradient: HostTensor {
        get { accumulated ?? HostTensor(zeros: value.shape) }
        set { accumulated = newValue }
    }
    private var accumulated: HostTensor?
    /// Frozen parameters receive no gradient and are never changed by the optimizer.
    public var isTrainable: Bool

    public init(name: String, value: HostTensor, kind: Kind = .weight) {
        self.name = name
        self.kind = kind
        self.value = value
        self.isTrainable = kind == .weight
    }

    public var shape: [Int] { value.shape }

    /// gradient += g (shapes must agree).
    public func accumulateGradient(_ g: HostTensor) {
        precondition(g.shape == value.shape, "\(name): gradient shape \(g.shape) vs \(value.shape)")
        guard accumulated != nil else {
            accumulated = g
            return
        }
        accumulated!.scalars.withUnsafeMutableBufferPointer { dst in
            g.scalars.withUnsafeBufferPointer { src in
                for i in 0..<dst.count { dst[i] += src[i] }
            }
        }
    }

    public func zeroGradient() {
        accumulated = nil
    }
}
