import Foundation

/// Recycles 64-byte-aligned buffers by exact byte size.
///
/// Training allocates the same activation sizes every step; handing freed buffers back
/// here turns those allocations into dictionary look-ups. Buffers may be released from
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

    func take(byteCount: Int) -> UnsafeMutableRawPointer {
        let size = max(byteCount, 1)
        lock.lock()
        if let buffer = idle[size]?.popLast() {
            idleBytes -= size
            lock.unlock()
            return buffer
        }
        lock.unlock()
        return UnsafeMutableRawPointer.allocate(byteCount: size, alignment: BufferPool.alignment)
    }

    func give(_ buffer: UnsafeMutableRawPointer, byteCount: Int) {
        let size = max(byteCount, 1)
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
