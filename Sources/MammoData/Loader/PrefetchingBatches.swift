import Foundation

/// Items `range` produced by `make` on background threads, delivered in index order through
/// a bounded buffer: at most `capacity` finished items wait, so workers stay ahead of the
/// consumer without unbounded memory. With zero workers, items are made on `next()`'s thread.
/// Dropping the object (or `cancel()`) stops the workers after their current item.
public final class PrefetchingBatches: @unchecked Sendable {
    private let queue: OrderedWorkQueue
    private let make: @Sendable (Int) throws -> Batch
    private let inline: Bool
    private var nextInline: Int
    private let range: Range<Int>

    init(range: Range<Int>, workers: Int, capacity: Int, make: @escaping @Sendable (Int) throws -> Batch) {
        self.range = range; self.make = make
        inline = workers == 0
        nextInline = range.lowerBound
        queue = OrderedWorkQueue(range: range, capacity: capacity)
        for worker in 0..<workers {
            let thread = Thread { [queue] in queue.work(make) }
            thread.name = "mammoseg.loader.\(worker)"
            queue.started()
            thread.start()
        }
    }

    deinit { queue.cancel() }

    /// The next batch in order, or nil after the last; rethrows the error of the batch that failed.
    public func next() throws -> Batch? {
        if inline {
            guard nextInline < range.upperBound else { return nil }
            defer { nextInline += 1 }
            return try make(nextInline)
        }
        return try queue.next()?.get()
    }

    /// Stops the workers after their current batch and waits for them.
    public func cancel() { queue.cancel() }
}

/// The shared state of the workers (kept apart from `PrefetchingBatches` so the threads do
/// not keep the consumer's handle alive).
final class OrderedWorkQueue: @unchecked Sendable {
    private let range: Range<Int>
    private let capacity: Int
    private let condition = NSCondition()
    private var ready: [Int: Result<Batch, Error>] = [:]
    private var nextToClaim: Int
    private var nextToDeliver: Int
    private var cancelled = false
    private var running = 0

    init(range: Range<Int>, capacity: Int) {
        self.range = range; self.capacity = capacity
        nextToClaim = range.lowerBound; nextToDeliver = range.lowerBound
    }

    func started() { condition.lock(); running += 1; condition.unlock() }

    func next() -> Result<Batch, Error>? {
        condition.lock(); defer { condition.unlock() }
        guard nextToDeliver < range.upperBound else { return nil }
        while ready[nextToDeliver] == nil && !cancelled { condition.wait() }
        guard let result = ready.removeValue(forKey: nextToDeliver) else { return nil }
        nextToDeliver += 1
        condition.broadcast()
        return result
    }

    func cancel() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while running > 0 { condition.wait() }
        condition.unlock()
    }

    func work(_ make: (Int) throws -> Batch) {
        condition.lock()
        defer { running -= 1; condition.broadcast(); condition.unlock() }
        while true {
            while !cancelled && nextToClaim < range.upperBound && nextToClaim - nextToDeliver >= capacity {
                condition.wait()
            }
            guard !cancelled, nextToClaim < range.upperBound else { return }
            let index = nextToClaim
            nextToClaim += 1
            condition.unlock()
            let result = Result { try make(index) }
            condition.lock()
            ready[index] = result
            condition.broadcast()
        }
    }
}
