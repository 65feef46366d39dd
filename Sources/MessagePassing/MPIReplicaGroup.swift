import CMPI
import Engine
import Foundation

/// The processes of an `mpirun` job as a `ReplicaGroup` (MPI_COMM_WORLD).
///
/// Every collective is nonblocking (MPI_Iallreduce, MPI_Ibcast, MPI_Igatherv) and polled with
/// MPI_Test until `timeoutSeconds`: a process that died, stopped or lost its network then ends
/// the job through MPI_Abort with one line saying what was waited for, instead of a hang.
/// Errors return to us (MPI_ERRORS_RETURN) and take the same path. Only the thread that
/// started MPI calls it (MPI_THREAD_FUNNELED); the data loader's threads never do.
public final class MPIReplicaGroup: ReplicaGroup {
    public let rank: Int
    public let count: Int
    public let timeoutSeconds: Double
    private let world: MPI_Comm

    /// Whether this process was started by an MPI launcher (Open MPI's mpirun, or PMIx).
    /// Only then is MPI initialised: a plain `mammoseg` never starts it.
    public static var isLaunchedByMPI: Bool {
        let environment = ProcessInfo.processInfo.environment
        return environment["OMPI_COMM_WORLD_SIZE"] != nil || environment["PMIX_RANK"] != nil
    }

    /// Initialises MPI (once per process).
    public init(timeoutSeconds: Double) throws {
        var provided: Int32 = 0
        try mpiCall(MPI_Init_thread(nil, nil, mammoseg_mpi_thread_funneled(), &provided), "MPI_Init_thread")
        world = mammoseg_mpi_comm_world()
        try mpiCall(MPI_Comm_set_errhandler(world, mammoseg_mpi_errors_return()), "MPI_Comm_set_errhandler")
        var rank: Int32 = 0, size: Int32 = 0
        try mpiCall(MPI_Comm_rank(world, &rank), "MPI_Comm_rank")
        try mpiCall(MPI_Comm_size(world, &size), "MPI_Comm_size")
        self.rank = Int(rank); self.count = Int(size)
        self.timeoutSeconds = timeoutSeconds
    }

    public func sum(_ values: inout [Float], _ what: String) throws {
        try allreduce(&values, mammoseg_mpi_float(), what)
    }

    public func sum(_ values: inout [Double], _ what: String) throws {
        try allreduce(&values, mammoseg_mpi_double(), what)
    }

    private func allreduce<T>(_ values: inout [T], _ type: MPI_Datatype, _ what: String) throws {
        let n = try int32(values.count, what)
        try values.withUnsafeMutableBytes { buffer in
            var request: MPI_Request? = mammoseg_mpi_request_null()
            try collective(what) {
                MPI_Iallreduce(mammoseg_mpi_in_place(), buffer.baseAddress, n, type, mammoseg_mpi_sum(), world, &request)
            }
            try wait(&request, what)
        }
    }

    public func broadcast(_ values: inout [Float], from root: Int, _ what: String) throws {
        let n = try int32(values.count, what)
        try values.withUnsafeMutableBytes { buffer in
            var request: MPI_Request? = mammoseg_mpi_request_null()
            try collective(what) { MPI_Ibcast(buffer.baseAddress, n, mammoseg_mpi_float(), Int32(root), world, &request) }
            try wait(&request, what)
        }
    }

    public func gather(_ values: [Float], to root: Int, _ what: String) throws -> [[Float]] {
        // First every replica's count, then the values at their offsets. Buffers given to a
        // nonblocking call are read until it completes, so each stays pinned across the wait.
        var counts = [Int32](repeating: 0, count: count)
        let mine = [try int32(values.count, what)]
        try mine.withUnsafeBytes { send in
            try counts.withUnsafeMutableBytes { receive in
                var request: MPI_Request? = mammoseg_mpi_request_null()
                try collective(what) {
                    MPI_Igather(send.baseAddress, 1, mammoseg_mpi_int(), receive.baseAddress, 1, mammoseg_mpi_int(),
                                Int32(root), world, &request)
                }
                try wait(&request, what)
            }
        }
        var offsets = [Int32](repeating: 0, count: count)
        var total = 0
        for r in 0..<count { offsets[r] = try int32(total, what); total += Int(counts[r]) }
        var received = [Float](repeating: 0, count: rank == root ? total : 0)
        try values.withUnsafeBytes { send in
            try received.withUnsafeMutableBytes { receive in
                try counts.withUnsafeBufferPointer { counts in
                    try offsets.withUnsafeBufferPointer { offsets in
                        var request: MPI_Request? = mammoseg_mpi_request_null()
                        try collective(what) {
                            MPI_Igatherv(send.baseAddress, mine[0], mammoseg_mpi_float(), receive.baseAddress,
                                         counts.baseAddress, offsets.baseAddress, mammoseg_mpi_float(), Int32(root), world, &request)
                        }
                        try wait(&request, what)
                    }
                }
            }
        }
        guard rank == root else { return [] }
        return (0..<count).map { r in Array(received[Int(offsets[r])..<(Int(offsets[r]) + Int(counts[r]))]) }
    }

    /// Waits (with the deadline) until every replica has arrived, then shuts MPI down.
    public func finish() throws {
        var token: [Double] = [0]
        try sum(&token, "the end of the job")
        try mpiCall(MPI_Finalize(), "MPI_Finalize")
    }

    /// Ends every process of the job now, after printing `error: <line>` on this one (when given).
    public func abort(_ line: String?) -> Never {
        if let line { FileHandle.standardError.write(Data("error: \(line)\n".utf8)) }
        _ = MPI_Abort(world, 1)
        exit(1)
    }

    // MARK: The deadline

    private func int32(_ n: Int, _ what: String) throws -> Int32 {
        guard let n = Int32(exactly: n) else {
            abort("MPI: \(what): \(n) values do not fit one MPI call (at most \(Int32.max)); use a smaller --width")
        }
        return n
    }

    /// Starts a nonblocking collective; a failure aborts the job (the others would wait forever).
    private func collective(_ what: String, _ start: () -> Int32) throws {
        do { try mpiCall(start(), what) } catch { abort("rank \(rank) of \(count): \(error); aborting the job") }
    }

    /// Polls `request` until it completes or `timeoutSeconds` pass (then aborts the job).
    private func wait(_ request: inout MPI_Request?, _ what: String) throws {
        let deadline = Date().addingTimeInterval(timeoutSeconds)
        var done: Int32 = 0
        var pause: useconds_t = 10
        while true {
            do { try mpiCall(MPI_Test(&request, &done, mammoseg_mpi_status_ignore()), "MPI_Test (\(what))") } catch {
                abort("rank \(rank) of \(count): \(error); another process has probably died; aborting the job")
            }
            if done != 0 { return }
            if Date() > deadline {
                abort("rank \(rank) of \(count) waited \(Int(timeoutSeconds)) s for the other processes in \(what): one of them "
                      + "died, hangs or cannot be reached over the network; aborting the job (raise --collective-timeout "
                      + "if a step legitimately takes longer)")
            }
            usleep(pause)
            pause = min(pause * 2, 1000)
        }
    }
}
