import Foundation
import Engine

/// The files a training run writes (all atomically):
/// `RUN/config.json  RUN/metrics.csv  RUN/log.txt  RUN/report.html`
/// `RUN/checkpoints/epoch-NNN.safetensors  RUN/checkpoints/best.safetensors`
public struct RunFolder: Sendable {
    public let root: String

    public init(root: String) { self.root = root }

    public var configFile: String { root + "/config.json" }
    public var metricsFile: String { root + "/metrics.csv" }
    public var logFile: String { root + "/log.txt" }
    public var reportFile: String { root + "/report.html" }
    public var checkpointFolder: String { root + "/checkpoints" }
    public var bestCheckpoint: String { checkpointFolder + "/best.safetensors" }
    public var interruptedCheckpoint: String { checkpointFolder + "/interrupted.safetensors" }

    public func epochCheckpoint(_ epoch: Int) -> String {
        checkpointFolder + "/" + String(format: "epoch-%03d.safetensors", epoch)
    }

    /// Creates the folders, or explains in one line why it cannot.
    public func create() throws {
        do {
            try FileManager.default.createDirectory(atPath: checkpointFolder, withIntermediateDirectories: true)
        } catch {
            throw TrainingError.runFolder(root, "cannot create the run folder (\(error.localizedDescription)); choose a writable --out")
        }
        guard FileManager.default.isWritableFile(atPath: root) else {
            throw TrainingError.runFolder(root, "the run folder is not writable; choose a writable --out")
        }
    }

    /// Completed-epoch checkpoints present on disk, by epoch number.
    public func epochCheckpoints() -> [(epoch: Int, path: String)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: checkpointFolder)) ?? []
        return names.compactMap { name -> (Int, String)? in
            guard name.hasPrefix("epoch-"), name.hasSuffix(".safetensors"),
                  let n = Int(name.dropFirst(6).dropLast(12)) else { return nil }
            return (n, checkpointFolder + "/" + name)
        }.sorted { $0.0 < $1.0 }
    }

    public func writeConfig(_ config: TrainingConfiguration) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try writeFileAtomically(try encoder.encode(config), to: configFile)
    }

    public func readConfig() throws -> TrainingConfiguration {
        guard let data = FileManager.default.contents(atPath: configFile) else {
            throw TrainingError.runFolder(configFile, "missing; --resume needs a run folder written by `mammoseg train`")
        }
        do { return try JSONDecoder().decode(TrainingConfiguration.self, from: data) } catch {
            throw TrainingError.runFolder(configFile, "not a valid training configuration (\(error))")
        }
    }

    /// Rewrites metrics.csv with one row per epoch (columns: the union of keys, `epoch` first).
    public func writeMetrics(_ rows: [[String: Double]]) throws {
        var keys = Set<String>()
        for row in rows { keys.formUnion(row.keys) }
        let columns = ["epoch"] + keys.subtracting(["epoch"]).sorted()
        var text = columns.joined(separator: ",") + "\n"
        for row in rows {
            text += columns.map { key in
                guard let v = row[key] else { return "" }
                return key == "epoch" ? String(Int(v)) : String(format: "%.6g", v)
            }.joined(separator: ",") + "\n"
        }
        try writeFileAtomically(Array(text.utf8), to: metricsFile)
    }

    public func readMetrics() -> [[String: Double]] {
        guard let text = try? String(contentsOfFile: metricsFile, encoding: .utf8) else { return [] }
        let lines = text.split(separator: "\n").map(String.init)
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init) else { return [] }
        return lines.dropFirst().map { line in
            var row: [String: Double] = [:]
            for (key, value) in zip(header, line.split(separator: ",", omittingEmptySubsequences: false)) {
                if let v = Double(value) { row[key] = v }
            }
            return row
        }
    }

    /// Appends a line to log.txt (rewritten atomically; the log is small).
    public func log(_ line: String) {
        let old = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        try? writeFileAtomically(Array((old + line + "\n").utf8), to: logFile)
    }
}

/// One-line errors of training and running models.
public enum TrainingError: Error, CustomStringConvertible {
    case runFolder(String, String)
    case checkpoint(String, String)
    case configuration(String)

    public var description: String {
        switch self {
        case let .runFolder(path, reason): return "\(path): \(reason)"
        case let .checkpoint(path, reason): return "\(path): \(reason)"
        case let .configuration(reason): return reason
        }
    }
}
