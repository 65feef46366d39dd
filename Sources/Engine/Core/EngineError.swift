/// Errors the engine throws. Every message is one line that says what is wrong.
public enum EngineError: Error, CustomStringConvertible, Equatable {
    /// A oneDNN (or other C) call failed; names the call and the status.
    case backendCall(call: String, status: String)
    /// Shapes that cannot work together; the message names the op.
    case shapeMismatch(String)
    /// A file could not be read or written as a checkpoint.
    case checkpoint(file: String, reason: String)
    case invalidArgument(String)

    public var description: String {
        switch self {
        case let .backendCall(call, status): return "\(call) failed: \(status)"
        case let .shapeMismatch(message): return "shape mismatch: \(message)"
        case let .checkpoint(file, reason): return "\(file): \(reason)"
        case let .invalidArgument(message): return message
        }
    }
}
