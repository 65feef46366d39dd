/// Records each op's pullback during a training forward pass; `backward` runs them in
/// reverse order. One tape per step: it holds the activations backward needs.
public final class Tape {
    private var pullbacks: [() throws -> Void] = []

    public init() {}

    public var count: Int { pullbacks.count }

    func record(_ pullback: @escaping () throws -> Void) { pullbacks.append(pullback) }

    /// Seeds `output.gradient` with `seed` (d loss / d output) and propagates to every
    /// variable and trainable parameter that the output depends on.
    ///
    /// Each pullback is dropped as soon as it has run, and with it the activations it
    /// captured, so memory falls during backward instead of peaking at the end.
    public func backward(from output: Variable, seed: Tensor, backend: Backend) throws {
        try output.accumulate(seed, backend)
        defer { pullbacks.removeAll() }
        while let pullback = pullbacks.popLast() { try pullback() }
    }
}

/// What every forward call needs: the backend, the mode, and (training) the tape.
///
/// Training vs inference is explicit here rather than a global switch. `captureNames`
/// asks layers to keep named intermediate outputs (feature maps for `inspect` and the
/// checkerboard measurements) in `captured`.
public final class Context {
    public let backend: Backend
    public let isTraining: Bool
    public let tape: Tape?
    public var captureNames: Set<String> = []
    public private(set) var captured: [String: Tensor] = [:]
    /// When set (training, more than one replica), batch norm normalises with the statistics of
    /// the global batch across these replicas and back-propagates through them (`--sync-batchnorm`).
    public var batchNormReplicas: ReplicaGroup?

    public init(backend: Backend, training: Bool) {
        self.backend = backend
        self.isTraining = training
        self.tape = training ? Tape() : nil
    }

    /// Keeps `value` under `name` when it was asked for.
    public func capture(_ name: String, _ value: Variable) {
        if captureNames.contains(name) { captured[name] = value.value }
    }

    /// Wraps a host input (an image batch) as a variable that needs no gradient.
    public func input(_ host: HostTensor) throws -> Variable {
        Variable(try backend.upload(host))
    }
}
