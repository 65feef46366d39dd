import Foundation

/// Recycles 64-byte-aligned buffers.
///
/// Training allocates the same activation sizes every step; handing freed buffers back
/// here turns those allocations into dictionary look-ups. A request takes an idle buffer
/// of its exact size or, failing that, the smallest idle one up to `maximumSlack`× larger:
/// with exact sizes only, buffers freed late in the forward pass sat idle while backward
/// allocated others, and at 640², width 1.0 the process peaked 175 MB higher (1394 vs
/// 1219 MB with training then inference, `mammoseg bench`). Buffers may be released from
/// any thread (a `Tensor` dies wherever its last reference goes), hence the lock.
final class BufferPool: @unchecked Sendable {
    static let alignment = 64
    /// Upper bound on idle bytes kept for reuse; beyond it freed buffers go back to the system.
    let maximumIdleBytes: Int
    private var idle: [Int: [UnsafeMutableRawPointer]] = [:]
    private var idleBytes = 0
    private let lock = NSLock()

    init(maximumIdleBytes: Int = 1 << 30) {
        self.maximumIdleBytes = maximumIdleBytes
    }

    /// A buffer of at least `byteCount` bytes and its capacity (pass both back to `give`):
    /// an idle buffer of exactly that size, else the smallest idle one up to
    /// `maximumSlack`× larger, else a new one.
    func take(byteCount: Int) -> (buffer: UnsafeMutableRawPointer, capacity: Int) {
        let size = max(byteCount, 1)
        lock.lock()
        if let buffer = idle[size]?.popLast() {
            idleBytes -= size
            lock.unlock()
            return (buffer, size)
        }
        let fits = idle.filter { $0.key > size && $0.key <= size * Self.maximumSlack && !$0.value.isEmpty }.keys
        if let larger = fits.min(), let buffer = idle[larger]?.popLast() {
            idleBytes -= larger
            lock.unlock()
            return (buffer, larger)
        }
        lock.unlock()
        return (UnsafeMutableRawPointer.allocate(byteCount: size, alignment: BufferPool.alignment), size)
    }

    /// How much larger than asked a reused idle buffer may be.
    static let maximumSlack = 2

    /// Returns a buffer from `take` with the capacity `take` gave.
    func give(_ buffer: UnsafeMutableRawPointer, capacity: Int) {
        let size = max(capacity, 1)
        lock.lock()
        if idleBytes + size <= maximumIdleBytes {
            idle[size, default: []].append(buffer)
            idleBytes += size
            lock.unlock()
        } else {
            lock.unlock()
            buffer.deallocate()
        }
    }

    deinit {
        for buffers in idle.values { for buffer in buffers { buffer.deallocate() } }
    }
}
