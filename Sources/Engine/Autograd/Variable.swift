/// An activation on the tape: its value and, after `Tape.backward`, its gradient.
public final class Variable {
    public let value: Tensor
    /// d loss / d value, accumulated by the pullbacks of the ops that consumed it.
    public internal(set) var gradient: Tensor?
    /// False for inputs and for everything computed only from frozen parameters, so
    /// no backward work is recorded or done for it.
    public let requiresGradient: Bool

    public init(_ value: Tensor, requiresGradient: Bool = false) {
        self.value = value
        self.requiresGradient = requiresGradient
    }

    public var shape: [Int] { value.shape }

    /// Returns the accumulated gradient and forgets it (backward runs each pullback once).
    func takeGradient() -> Tensor? {
        defer { gradient = nil }
        return gradient
    }

    func accumulate(_ g: Tensor, _ backend: Backend) throws {
        gradient = try gradient.map { try backend.add($0, g) } ?? g
    }
}
