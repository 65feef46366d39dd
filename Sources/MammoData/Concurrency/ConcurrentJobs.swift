import Foundation

/// Runs `count` independent jobs on at most `limit` threads at once, each index once, started
/// in order. The limit, not the core count alone, bounds memory when a job holds a whole
/// full-field image. The first error stops jobs not yet started and is rethrown once the running
/// ones end.
public enum ConcurrentJobs {
    public static func run(count: Int, limit: Int, _ job: (Int) throws -> Void) throws {
        guard count > 0 else { return }
        let next = NextIndex(count: count), failure = FirstError()
        DispatchQueue.concurrentPerform(iterations: max(1, min(limit, count))) { _ in
            while !failure.isSet, let index = next.take() {
                do { try job(index) } catch { failure.set(error) }
            }
        }
        if let error = failure.error { throw error }
    }
}

/// Hands out 0, 1, … count − 1 to whichever thread asks first.
private final class NextIndex: @unchecked Sendable {
    private let lock = NSLock()
    private var next = 0
    private let count: Int

    init(count: Int) { self.count = count }

    func take() -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard next < count else { return nil }
        next += 1
        return next - 1
    }
}
