/// Why a network cannot be built or run on the given input. Each message is one line
/// that says what is wrong and what to do.
public enum ModelError: Error, CustomStringConvertible, Equatable {
    case unknownArchitecture(String)
    case invalidWidth(Double)
    case invalidInputShape(architecture: Architecture, shape: [Int], reason: String)
    /// A network built outside this module, which cannot describe its stages to the exporter.
    case exportUnsupported(Architecture)

    public var description: String {
        switch self {
        case let .unknownArchitecture(name):
            return "unknown architecture '\(name)'; use one of "
                + Architecture.allCases.map(\.rawValue).joined(separator: ", ")
        case let .invalidWidth(width):
            return "width \(width) is not a number in (0, \(ChannelWidths.maximumMultiplier)]; "
                + "use e.g. 1.0 (the seed's channels) or 0.25"
        case let .invalidInputShape(architecture, shape, reason):
            return "\(architecture.rawValue) cannot take input \(shape.map(String.init).joined(separator: "×")): \(reason)"
        case let .exportUnsupported(architecture):
            return "this \(architecture.rawValue) network cannot be exported; rebuild it with makeModel(_:width:seed:)"
        }
    }
}
