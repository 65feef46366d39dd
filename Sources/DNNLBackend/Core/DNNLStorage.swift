import CDNNL

/// The storage behind a `Tensor` (or a saved workspace) of `DNNLBackend`: one aligned
/// buffer and the oneDNN descriptor of how the elements are laid out in it.
///
/// The buffer holds `desc.byteCount` bytes, which for blocked layouts such as `nChw16c`
/// includes the channel padding up to a multiple of 16. Primitives and reorders write that
/// padding as zeros and other primitives rely on it, so nothing else writes into it.
final class DNNLStorage {
    let desc: dnnl_memory_desc_t
    let data: UnsafeMutableRawPointer
    let byteCount: Int
    /// The buffer's size: `byteCount` or more (a pooled buffer may be larger).
    private let capacity: Int
    private let pool: BufferPool
    /// For a view: the storage that owns (and will free) the buffer.
    private var owner: DNNLStorage?

    init(desc: dnnl_memory_desc_t, pool: BufferPool) {
        self.desc = desc
        self.byteCount = desc.byteCount
        self.pool = pool
        (self.data, self.capacity) = pool.take(byteCount: byteCount)
    }

    /// A view of the same buffer with another descriptor of the same size (a reshape);
    /// keeps `owner` alive.
    init(viewing owner: DNNLStorage, as desc: dnnl_memory_desc_t) {
        self.desc = desc
        self.byteCount = owner.byteCount
        self.capacity = owner.capacity
        self.pool = owner.pool
        self.data = owner.data
        self.owner = owner
    }

    deinit {
        if owner == nil { pool.give(data, capacity: capacity) }
    }
}
