import Foundation
import XCTest

/// `mammoseg serve …` as a child process on a free loopback port (it is started with `--port 0` and
/// prints the port it got). Output goes to files; `stop()` (or deinit) ends it with SIGTERM.
final class ServeProcess {
    let process = Process()
    let stdoutPath: String
    let stderrPath: String
    private(set) var host = ""
    private(set) var port = 0

    static var executable: URL {
        get throws {
            #if os(macOS)
            let folder = Bundle.allBundles.first { $0.bundlePath.hasSuffix(".xctest") }!.bundleURL.deletingLastPathComponent()
            #else
            let folder = Bundle.main.bundleURL
            #endif
            let url = folder.appendingPathComponent("mammoseg")
            guard FileManager.default.isExecutableFile(atPath: url.path) else {
                throw XCTSkip("\(url.path) is not built; run `swift build --product mammoseg` first")
            }
            return url
        }
    }

    /// Starts `mammoseg serve` with `arguments` (add --port 0) and waits until it listens.
    init(_ arguments: [String], folder: String, timeout: TimeInterval = 60) throws {
        stdoutPath = folder + "/serve-\(UUID().uuidString).stdout"
        stderrPath = stdoutPath.replacingOccurrences(of: ".stdout", with: ".stderr")
        FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = try Self.executable
        process.arguments = ["serve"] + arguments
        process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        try process.run()
        let deadline = Date().addingTimeInterval(timeout)
        while Date() < deadline {
            let text = (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? ""
            if let line = text.split(separator: "\n").first(where: { $0.hasPrefix("serving http://") }),
               let address = line.split(separator: " ").dropFirst().first {
                let hostPort = address.dropFirst("http://".count).dropLast()   // "127.0.0.1:PORT"
                if let colon = hostPort.lastIndex(of: ":"), let port = Int(hostPort[hostPort.index(after: colon)...]) {
                    self.host = String(hostPort[..<colon])
                    self.port = port
                    return
                }
            }
            guard process.isRunning else { break }
            Thread.sleep(forTimeInterval: 0.1)
        }
        stop()
        throw DidNotStart(stderr: stderr)
    }

    struct DidNotStart: Error, CustomStringConvertible {
        let stderr: String
        var description: String { "mammoseg serve did not start: \(stderr)" }
    }

    var stderr: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// The most resident memory the server has had (VmHWM), in bytes.
    var peakResidentBytes: Int? {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
              let kib = Int(line.split(separator: " ").dropFirst().first ?? "") else { return nil }
        return kib * 1024
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(10)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.05) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL); process.waitUntilExit() }
    }

    deinit { stop() }
}
