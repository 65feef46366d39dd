import ArgumentParser
import MammoData

/// `--max-pixels` and `--max-decompressed-bytes`, shared by every command that reads images:
/// how much memory one file may claim, whatever its header says (`ReadLimits`).
struct ReadLimitOptions: ParsableArguments {
    @Option(name: .customLong("max-pixels"),
            help: "Largest image (width × height) to read; a header claiming more is refused before any memory is allocated.")
    var maxPixels: Int = ReadLimits.defaultMaxPixels

    @Option(name: .customLong("max-decompressed-bytes"),
            help: "Largest size a compressed stream (deflated DICOM) may inflate to.")
    var maxDecompressedBytes: Int = ReadLimits.defaultMaxDecompressedBytes

    /// Checks the values and installs them as `ReadLimits.current` for the whole run
    /// (ArgumentParser validates the parsed command once, before `run()`).
    func validate() throws {
        guard maxPixels >= 1 else { throw ValidationError("--max-pixels must be at least 1 (got \(maxPixels))") }
        guard maxDecompressedBytes >= 1 else {
            throw ValidationError("--max-decompressed-bytes must be at least 1 (got \(maxDecompressedBytes))")
        }
        ReadLimits.current = ReadLimits(maxPixels: maxPixels, maxDecompressedBytes: maxDecompressedBytes)
    }
}
