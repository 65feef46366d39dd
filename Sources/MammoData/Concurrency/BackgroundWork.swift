import Foundation

/// Work done in order on one background thread while the caller goes on: `predict` encodes and
/// writes an image's PNGs (deflate, single-threaded, as long as the rest of the image's work)
/// while the next image is read, prepared and run. At most `limit` items wait, so memory stays
/// bounded. The first error is kept, later items are skipped, and `finish()` rethrows it.
public final class BackgroundWork: @unchecked Sendable {
    private let queue = DispatchQueue(label: "mammoseg.background-work")
    private let group = DispatchGroup()
    private let slots: DispatchSemaphore
    private let failure = FirstError()

    public init(limit: Int = 1) {
        slots = DispatchSemaphore(value: max(1, limit))
    }

    /// Queues `work`, waiting while `limit` items are queued; throws at once when an earlier item failed.
    public func submit(_ work: @escaping @Sendable () throws -> Void) throws {
        if let error = failure.error { throw error }
        slots.wait()
        group.enter()
        queue.async { [self] in
            defer { slots.signal(); group.leave() }
            guard !failure.isSet else { return }
            do { try work() } catch { failure.set(error) }
        }
    }

    /// Waits for everything queued; rethrows the first error.
    public func finish() throws {
        group.wait()
        if let error = failure.error { throw error }
    }
}
