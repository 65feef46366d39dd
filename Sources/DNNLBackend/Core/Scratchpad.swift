/// The one scratch arena every primitive borrows (oneDNN's user scratchpad mode).
///
/// This oneDNN build shares a library-owned scratchpad between primitives and ties a
/// primitive to its creating thread unless the user passes the scratchpad, and omitting
/// `DNNL_ARG_SCRATCHPAD` in user mode crashes, so every execution gets this arena. It only
/// grows: execution is synchronous, so one buffer of the largest size ever asked serves all.
final class Scratchpad {
    private(set) var data: UnsafeMutableRawPointer?
    private(set) var capacity = 0

    /// A buffer of at least `byteCount` bytes, valid until the next call.
    func buffer(byteCount: Int) -> UnsafeMutableRawPointer {
        if byteCount > capacity || data == nil {
            data?.deallocate()
            capacity = max(byteCount, capacity * 3 / 2, 4096)
            data = UnsafeMutableRawPointer.allocate(byteCount: capacity, alignment: BufferPool.alignment)
        }
        return data!
    }

    deinit { data?.deallocate() }
}
