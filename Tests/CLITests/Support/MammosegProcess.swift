import Foundation
import XCTest

/// The built `mammoseg` executable, run as a child process the way a user runs it.
///
/// `swift test` builds every product of the package, so the executable lies next to the
/// test bundle (`.build/<configuration>/mammoseg`). Output goes to files, not pipes, so a
/// chatty child can never block on a full pipe while the test waits for it.
struct MammosegProcess {
    struct Result {
        var status: Int32
        var reason: Process.TerminationReason
        var stdout: String
        var stderr: String

        /// Non-empty stderr lines (a progress bar on a non-terminal writes whole lines).
        var stderrLines: [String] { stderr.split(separator: "\n").map(String.init).filter { !$0.isEmpty } }
    }

    /// `.build/debug` (or release) on Linux: where SwiftPM put the test bundle and the executable.
    static var productsDirectory: URL {
        #if os(macOS)
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        #endif
        return Bundle.main.bundleURL
    }

    static func executable() throws -> URL {
        let url = productsDirectory.appendingPathComponent("mammoseg")
        guard FileManager.default.isExecutableFile(atPath: url.path) else {
            throw XCTSkip("\(url.path) is not built; run `swift build --product mammoseg` first")
        }
        return url
    }

    let process = Process()
    let stdoutPath: String
    let stderrPath: String

    /// Starts `mammoseg arguments…` with stdout and stderr captured in files under `folder`.
    /// `environment` adds to (or overrides) the test's own environment.
    init(_ arguments: [String], folder: String, name: String = UUID().uuidString,
         environment: [String: String] = [:]) throws {
        stdoutPath = folder + "/\(name).stdout"
        stderrPath = folder + "/\(name).stderr"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = try Self.executable()
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        try process.run()
    }

    /// What the child has written to stderr so far.
    var stderrSoFar: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    func signal(_ number: Int32) { kill(process.processIdentifier, number) }

    func wait() -> Result {
        process.waitUntilExit()
        return Result(status: process.terminationStatus, reason: process.terminationReason,
                      stdout: (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "",
                      stderr: stderrSoFar)
    }

    /// Runs `mammoseg arguments…` to completion.
    static func run(_ arguments: [String], folder: String) throws -> Result {
        try MammosegProcess(arguments, folder: folder).wait()
    }
}

/// Waits (polling) until `condition` holds or `seconds` pass; returns whether it held.
func eventually(within seconds: Double, _ condition: () -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if condition() { return true }
        usleep(5_000)
    }
    return condition()
}
