/// The processes a data-parallel job runs in, as training needs them: sums, a broadcast and a
/// gather over every replica. `SingleReplica` is the plain one-process case; the MPI
/// implementation lives in the MessagePassing module, so the engine never links MPI.
/// Every replica must make the same calls in the same order (they are collective).
public protocol ReplicaGroup: AnyObject {
    /// This process's index, 0 ..< count; replica 0 is the one that writes files.
    var rank: Int { get }
    var count: Int { get }
    /// Element-wise sum over all replicas, in place; every replica gets the result.
    func sum(_ values: inout [Float], _ what: String) throws
    func sum(_ values: inout [Double], _ what: String) throws
    /// Replaces `values` on every replica with replica `root`'s (same count everywhere).
    func broadcast(_ values: inout [Float], from root: Int, _ what: String) throws
    /// Each replica's `values` (counts may differ), indexed by rank, at `root`; [] elsewhere.
    func gather(_ values: [Float], to root: Int, _ what: String) throws -> [[Float]]
}

extension ReplicaGroup {
    public var isRoot: Bool { rank == 0 }
}

/// One process alone: every collective is the identity.
public final class SingleReplica: ReplicaGroup {
    public init() {}
    public var rank: Int { 0 }
    public var count: Int { 1 }
    public func sum(_ values: inout [Float], _ what: String) throws {}
    public func sum(_ values: inout [Double], _ what: String) throws {}
    public func broadcast(_ values: inout [Float], from root: Int, _ what: String) throws {}
    public func gather(_ values: [Float], to root: Int, _ what: String) throws -> [[Float]] { [values] }
}
