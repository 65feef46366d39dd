/// Weights already converted into a primitive's layout, reused while the host arrays they
/// came from are unchanged, so a weight is reordered once per optimizer step (not once per
/// forward and backward pass) and once ever during inference.
///
/// Entries keep the source arrays. That makes the check exact and usually free: Swift
/// arrays compare equal at once when they share a buffer, and because the cache holds a
/// reference, an in-place update (Adam) copies the parameter's array first, so a changed
/// weight never matches its stale entry. Arrays with other buffers are compared element by
/// element (different weights differ at once).
final class WeightCache {
    private struct Entry {
        let sources: [[Float]]
        let layout: PrimitiveKey
        let values: [DNNLStorage]
        var lastUse: Int
    }

    private var entries: [Entry] = []
    /// Look-ups so far.
    private var clock = 0
    /// The longest gap in look-ups between two uses of one entry seen so far: how long a
    /// live weight may sit idle (one training step or inference pass).
    private var reusePeriod = 0
    /// Idle limit before any reuse has been seen (no period known yet).
    private static let initialIdleLimit = 256

    /// The converted values for `sources` under `layout` (what they were converted for), made
    /// with `make` when not cached.
    ///
    /// `lastUse`: the caller knows no later look-up will want them (a backward pass, after
    /// which the optimizer changes the weights), so the entry is dropped instead of kept;
    /// that keeps a training step from holding two versions of every weight.
    func values(for sources: [[Float]], layout: PrimitiveKey, lastUse: Bool = false,
                _ make: () throws -> [DNNLStorage]) rethrows -> [DNNLStorage] {
        clock += 1
        if let index = entries.firstIndex(where: { $0.layout == layout && $0.sources == sources }) {
            let values = entries[index].values
            reusePeriod = max(reusePeriod, clock - entries[index].lastUse)
            if lastUse { entries.remove(at: index) } else { entries[index].lastUse = clock }
            return values
        }
        let values = try make()
        if lastUse { return values }
        entries.append(Entry(sources: sources, layout: layout, values: values, lastUse: clock))
        // A live weight is used again within one period; an entry idle for longer (with a
        // quarter's slack) is a replaced version, e.g. the weights before the last Adam step.
        let idleLimit = reusePeriod > 0 ? reusePeriod + reusePeriod / 4 + 1 : Self.initialIdleLimit
        entries.removeAll { clock - $0.lastUse > idleLimit }
        return values
    }

    func removeAll() { entries.removeAll() }
}
