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
    private var clock = 0

    /// The converted values for `sources` under `layout` (what they were converted for), made
    /// with `make` when not cached.
    func values(for sources: [[Float]], layout: PrimitiveKey,
                _ make: () throws -> [DNNLStorage]) rethrows -> [DNNLStorage] {
        clock += 1
        if let index = entries.firstIndex(where: { $0.layout == layout && $0.sources == sources }) {
            entries[index].lastUse = clock
            return entries[index].values
        }
        let values = try make()
        entries.append(Entry(sources: sources, layout: layout, values: values, lastUse: clock))
        // A live weight is looked up at least once per pass over the network, i.e. within any
        // 2·count consecutive look-ups; an entry idle for longer is a replaced version.
        let horizon = clock - 2 * entries.count
        entries.removeAll { $0.lastUse < horizon }
        return values
    }

    func removeAll() { entries.removeAll() }
}
