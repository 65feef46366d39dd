import ArgumentParser
import Foundation
import DNNLBackend
import Engine

/// Options shared by every command that runs a network.
struct BackendOptions: ParsableArguments {
    @Option(help: "CPU threads for oneDNN (default: all cores).")
    var threads: Int?

    @Option(help: ArgumentHelp("Arithmetic backend: onednn (fast) or reference (plain Swift loops, for checking).",
                               valueName: "name"))
    var backend: String = "onednn"

    func validate() throws {
        if let threads { try FlagCheck.integer(threads, "--threads", in: 1...1024) }
        guard ["onednn", "reference"].contains(backend) else {
            throw ValidationError("--backend must be onednn or reference, not '\(backend)'")
        }
    }

    func makeBackend() throws -> Backend {
        backend == "reference" ? ReferenceBackend() : try DNNLBackend(threads: threads)
    }
}

/// Creates an output folder (and its parents), or explains in one line why it cannot.
func createOutputFolder(_ path: String) throws {
    do {
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    } catch {
        throw ValidationError("\(path): cannot create the output folder (\(error.localizedDescription)); choose a writable --out")
    }
}

/// Checks, before long work, that `file` can be written later: its folder exists and is writable.
func checkWritable(_ file: String) throws {
    let folder = (file as NSString).deletingLastPathComponent
    var isFolder: ObjCBool = false
    guard FileManager.default.fileExists(atPath: folder.isEmpty ? "." : folder, isDirectory: &isFolder), isFolder.boolValue,
          FileManager.default.isWritableFile(atPath: folder.isEmpty ? "." : folder) else {
        throw ValidationError("\(file): its folder does not exist or is not writable; create it or choose another path")
    }
}

/// Prints a one-line error and exits non-zero: `error: <what is wrong>`.
func fail(_ error: Error) -> ExitCode {
    var stderr = StandardError()
    print("error: \(error)", to: &stderr)
    return ExitCode(1)
}

/// Prints `warning: <message>` on standard error (the command goes on).
func warn(_ message: String) {
    var stderr = StandardError()
    print("warning: \(message)", to: &stderr)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        FileHandleOutput.stderr(string)
    }
}
