import ArgumentParser
import Engine
import MessagePassing

/// The processes a command runs in: under `mpirun -np N` (detected from the launcher's
/// environment) the N processes of the MPI job, else this process alone — a plain run never
/// starts MPI.
struct ReplicaOptions: ParsableArguments {
    @Option(name: .customLong("collective-timeout"),
            help: "Under mpirun: seconds a process waits for the others before it ends the job (a dead or unreachable node).")
    var collectiveTimeout: Double = 50

    func validate() throws {
        try FlagCheck.number(collectiveTimeout, "--collective-timeout", above: 0, atMost: 86_400)
    }

    /// The job's processes, and the MPI handle when there is one (to finish or abort it).
    func start() throws -> (replicas: ReplicaGroup, mpi: MPIReplicaGroup?) {
        guard MPIReplicaGroup.isLaunchedByMPI else { return (SingleReplica(), nil) }
        do {
            let mpi = try MPIReplicaGroup(timeoutSeconds: collectiveTimeout)
            return (mpi, mpi)
        } catch {
            throw fail(error)
        }
    }
}
