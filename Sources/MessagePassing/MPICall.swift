import CMPI
import Foundation

/// The checked-call helper for every MPI function: a status other than MPI_SUCCESS becomes an
/// `MPIError` that names the call and carries MPI's own description.
@discardableResult
func mpiCall(_ status: Int32, _ call: String) throws -> Int32 {
    guard status != mammoseg_mpi_success() else { return status }
    var text = [CChar](repeating: 0, count: Int(mammoseg_mpi_max_error_string()) + 1)
    var length: Int32 = 0
    _ = MPI_Error_string(status, &text, &length)
    throw MPIError(call: call, reason: String(cString: text))
}

/// An MPI call that failed, or a collective that waited past its deadline.
public struct MPIError: Error, CustomStringConvertible {
    public let call: String
    public let reason: String
    public var description: String { "MPI: \(call): \(reason)" }
}
