import ArgumentParser
import Mammography

extension Architecture: ExpressibleByArgument {}

/// The network choice every model-building command shares: `--arch`, `--width`, `--size`.
struct ModelOptions: ParsableArguments {
    @Option(help: "Network: \(Architecture.allCases.map(\.rawValue).joined(separator: ", ")).")
    var arch: Architecture = .dilatedResize

    @Option(help: "Channel-width multiplier (1.0 = the seed's channel counts).")
    var width: Double = 1.0

    @Option(help: "Input side in pixels (multiple of 32; of 320 for the fcn-* networks).")
    var size: Int = 640

    func validate() throws {
        try FlagCheck.width(width)
        do {
            try arch.validate(inputSize: size)
        } catch let error as ModelError {
            throw ValidationError("--size: \(error)")
        }
    }
}
