import Engine
import Foundation
import XCTest

/// A run stopped mid-epoch — killed outright (SIGKILL, nothing saved) or asked to stop
/// (SIGINT, saves `interrupted.safetensors`) — and resumed with `--resume` must end with the
/// same weights, batch-norm statistics and optimizer state, bit for bit, as an
/// uninterrupted run with the same seed.
final class ResumeAfterKillTests: XCTestCase {
    static let folder = TemporaryFolder("ResumeAfterKillTests")
    static var data: String { folder.join("data") }
    static let epochs = 3

    /// The uninterrupted run, trained once for all tests of the class.
    static var reference: String?

    override class func tearDown() {
        reference = nil
        try? FileManager.default.removeItem(atPath: folder.path)
    }

    func referenceRun() throws -> String {
        if let reference = Self.reference { return reference }
        if !FileManager.default.fileExists(atPath: Self.data + "/manifest.csv") {
            try TinyDataset.write(to: Self.data)
        }
        let out = Self.folder.join("uninterrupted")
        let result = try MammosegProcess.run(tinyTrainArguments(data: Self.data, out: out, epochs: Self.epochs),
                                             folder: Self.folder.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        Self.reference = out
        return out
    }

    /// Starts a run, waits until `epoch` has begun and done at least one step, then sends `signal`.
    func interruptedRun(_ name: String, signal: Int32, inEpoch epoch: Int) throws -> (out: String, result: MammosegProcess.Result) {
        _ = try referenceRun()
        let out = Self.folder.join(name)
        let child = try MammosegProcess(tinyTrainArguments(data: Self.data, out: out, epochs: Self.epochs),
                                        folder: Self.folder.path, name: name)
        // The progress bar prints "epoch E/N [...] 1/B ..." after the first step of epoch E.
        let marker = "epoch \(epoch)/\(Self.epochs) ["
        let started = eventually(within: 600) { child.stderrSoFar.contains(marker) || !child.process.isRunning }
        XCTAssertTrue(started, "no step of epoch \(epoch) within 10 minutes")
        child.signal(signal)
        return (out, child.wait())
    }

    func testResumeAfterSIGKILLMidEpochEndsWithIdenticalWeights() throws {
        let (out, killed) = try interruptedRun("killed", signal: SIGKILL, inEpoch: 2)
        XCTAssertEqual(killed.reason, .uncaughtSignal, "the run finished before it could be killed; the test proves nothing")
        XCTAssertEqual(killed.status, SIGKILL)
        XCTAssertTrue(FileManager.default.fileExists(atPath: out + "/checkpoints/epoch-001.safetensors"))
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/checkpoints/epoch-\(String(format: "%03d", Self.epochs)).safetensors"))

        let resumed = try MammosegProcess.run(tinyTrainArguments(data: Self.data, out: out, epochs: Self.epochs) + ["--resume"],
                                              folder: Self.folder.path)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertTrue(resumed.stderr.contains("resumed from"), resumed.stderr)
        try assertSameRun(out, try referenceRun())
    }

    func testResumeAfterCtrlCMidEpochEndsWithIdenticalWeights() throws {
        let (out, stopped) = try interruptedRun("stopped", signal: SIGINT, inEpoch: 2)
        XCTAssertEqual(stopped.status, 0, stopped.stderr)
        XCTAssertTrue(stopped.stdout.contains("stopped and saved"), stopped.stdout)
        let interrupted = out + "/checkpoints/interrupted.safetensors"
        XCTAssertTrue(FileManager.default.fileExists(atPath: interrupted))
        let saved = try Checkpoint.load(interrupted)
        XCTAssertEqual(saved.metadata["epoch"], "1", "one epoch completed before the stop")
        XCTAssertGreaterThan(Int(saved.metadata["next_batch"] ?? "") ?? 0, 0, "stopped after at least one step of epoch 2")

        let resumed = try MammosegProcess.run(tinyTrainArguments(data: Self.data, out: out, epochs: Self.epochs) + ["--resume"],
                                              folder: Self.folder.path)
        XCTAssertEqual(resumed.status, 0, resumed.stderr)
        XCTAssertFalse(FileManager.default.fileExists(atPath: interrupted), "a finished epoch removes the interrupted checkpoint")
        try assertSameRun(out, try referenceRun())
    }

    /// Every tensor of the last-epoch and best checkpoints equal bit for bit, and the same metrics
    /// (all columns but wall-clock `seconds`).
    func assertSameRun(_ run: String, _ reference: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let last = String(format: "/checkpoints/epoch-%03d.safetensors", Self.epochs)
        for name in [last, "/checkpoints/best.safetensors"] {
            let a = try Checkpoint.load(run + name), b = try Checkpoint.load(reference + name)
            let tensorsA = a.tensors.merging(a.optimizerState) { x, _ in x }
            let tensorsB = b.tensors.merging(b.optimizerState) { x, _ in x }
            XCTAssertEqual(Set(tensorsA.keys), Set(tensorsB.keys), name, file: file, line: line)
            XCTAssertGreaterThan(a.optimizerState.count, 1, "\(name) holds the optimizer state", file: file, line: line)
            for (key, tensor) in tensorsA {
                guard let other = tensorsB[key] else { continue }
                XCTAssertEqual(tensor.shape, other.shape, key, file: file, line: line)
                let differing = zip(tensor.scalars, other.scalars).filter { $0.bitPattern != $1.bitPattern }.count
                XCTAssertEqual(differing, 0, "\(name) \(key): \(differing) of \(tensor.count) values differ", file: file, line: line)
            }
            XCTAssertEqual(a.metadata["epoch"], b.metadata["epoch"], name, file: file, line: line)
        }
        let metricsA = try String(contentsOfFile: run + "/metrics.csv", encoding: .utf8)
        let metricsB = try String(contentsOfFile: reference + "/metrics.csv", encoding: .utf8)
        XCTAssertEqual(withoutSeconds(metricsA), withoutSeconds(metricsB), file: file, line: line)
    }

    /// metrics.csv without its `seconds` column (wall-clock time differs between runs).
    func withoutSeconds(_ csv: String) -> [[String]] {
        let rows = csv.split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
        guard let column = rows.first?.firstIndex(of: "seconds") else { return rows }
        return rows.map { row in row.enumerated().filter { $0.offset != column }.map(\.element) }
    }
}
