/// An activation (or activation gradient) owned by a backend.
///
/// `shape` is always the logical PyTorch shape (`[N, C, H, W]` or `[N, F]`); how the
/// numbers are laid out in memory is the backend's business (oneDNN keeps blocked
/// `nChw16c`). Use `Backend.upload`/`download` at the edges of a network.
public final class Tensor: @unchecked Sendable {
    public let shape: [Int]
    /// Backend-specific storage; only the backend that made the tensor reads it.
    public let storage: AnyObject

    public init(shape: [Int], storage: AnyObject) {
        self.shape = shape
        self.storage = storage
    }

    public var count: Int { shape.reduce(1, *) }
}

/// What a forward op hands to its backward op beyond its inputs and output
/// (a pooling workspace, batch-norm statistics). Opaque to everyone but the backend.
public final class SavedState: @unchecked Sendable {
    public let value: AnyObject
    public init(_ value: AnyObject) { self.value = value }
}
