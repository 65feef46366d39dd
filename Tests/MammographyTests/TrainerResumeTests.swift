import DNNLBackend
import Engine
import Foundation
import MammoData
@testable import Mammography
import XCTest

/// In-process version of the resume contract: a trainer stopped mid-epoch (its state saved, or
/// lost as in a kill) and a fresh `Trainer(resume: true)` end with the same weights, batch-norm
/// statistics and Adam state, bit for bit, as one uninterrupted trainer with the same seed.
final class TrainerResumeTests: XCTestCase {
    static let folder = NSTemporaryDirectory() + "/mammoseg-trainer-resume-\(UUID().uuidString)"
    static var data: String { folder + "/data" }

    override class func setUp() {
        var options = SyntheticDataset.Options()
        options.count = 16; options.size = 64; options.seed = 9; options.valFraction = 0.2
        _ = try? SyntheticDataset.write(to: data, options: options, overwrite: true)
    }

    override class func tearDown() { try? FileManager.default.removeItem(atPath: folder) }

    func configuration() -> TrainingConfiguration {
        var c = TrainingConfiguration(data: Self.data, architecture: "dilated-resize")
        c.size = 64; c.width = 0.0625; c.batchSize = 2; c.epochs = 2; c.seed = 4
        return c
    }

    func trainer(_ name: String, resume: Bool) throws -> Trainer {
        try Trainer(configuration: configuration(), run: RunFolder(root: Self.folder + "/" + name),
                    backend: try DNNLBackend(threads: 1), resume: resume)
    }

    /// Runs until `steps` optimisation steps have been taken, then asks the trainer to stop.
    func trainStopping(after steps: Int, _ name: String) throws -> Trainer {
        let first = try trainer(name, resume: false)
        var taken = 0
        first.shouldStop = { taken += 1; return taken >= steps }
        XCTAssertFalse(try first.train(), "stopped before the last epoch ended")
        return first
    }

    /// Every model tensor (weights and buffers) and every optimizer tensor, as bit patterns.
    func state(_ trainer: Trainer) -> [String: [UInt32]] {
        var tensors = trainer.optimizer.stateTensors()
        for parameter in trainer.model.parameters { tensors[parameter.name] = parameter.value }
        return tensors.mapValues { $0.scalars.map(\.bitPattern) }
    }

    func assertSameState(_ a: Trainer, _ b: Trainer, file: StaticString = #filePath, line: UInt = #line) {
        let sa = state(a), sb = state(b)
        XCTAssertEqual(Set(sa.keys), Set(sb.keys), file: file, line: line)
        XCTAssertTrue(sa.keys.contains { $0.hasSuffix("running_var") }, "batch-norm statistics compared", file: file, line: line)
        for (name, bits) in sa where bits != sb[name] {
            XCTFail("\(name) differs after resuming", file: file, line: line)
        }
    }

    func testStoppedMidEpochAndResumedEqualsUninterrupted() throws {
        let uninterrupted = try trainer("uninterrupted", resume: false)
        XCTAssertTrue(try uninterrupted.train())
        let perEpoch = (try PreparedDataset(root: Self.data).entries(split: .train).count + 1) / 2
        XCTAssertGreaterThan(perEpoch, 2)

        // Stopped in the middle of epoch 2: the interrupted checkpoint holds the state.
        let stopped = try trainStopping(after: perEpoch + 2, "stopped")
        XCTAssertTrue(FileManager.default.fileExists(atPath: stopped.run.interruptedCheckpoint))
        let resumed = try trainer("stopped", resume: true)
        XCTAssertTrue(try resumed.train())
        assertSameState(resumed, uninterrupted)
        // As text, so that NaN (no positives predicted: precision undefined) equals NaN.
        func history(_ t: Trainer) -> [[String: String]] {
            t.run.readMetrics().map { $0.filter { $0.key != "seconds" }.mapValues { "\($0)" } }
        }
        XCTAssertEqual(history(resumed), history(uninterrupted), "train_loss of the resumed epoch covers every step")
    }

    func testKilledMidEpochAndResumedEqualsUninterrupted() throws {
        let uninterrupted = try trainer("reference", resume: false)
        XCTAssertTrue(try uninterrupted.train())
        let perEpoch = (try PreparedDataset(root: Self.data).entries(split: .train).count + 1) / 2

        // A kill saves nothing: remove what the stop saved, leaving epoch 1's checkpoint.
        let killed = try trainStopping(after: perEpoch + 1, "killed")
        try FileManager.default.removeItem(atPath: killed.run.interruptedCheckpoint)
        let resumed = try trainer("killed", resume: true)
        XCTAssertTrue(try resumed.train())
        assertSameState(resumed, uninterrupted)
    }

    func testKilledBeforeTheFirstCheckpointStartsOver() throws {
        let uninterrupted = try trainer("from-scratch-reference", resume: false)
        XCTAssertTrue(try uninterrupted.train())
        let killed = try trainStopping(after: 1, "early")
        try FileManager.default.removeItem(atPath: killed.run.interruptedCheckpoint)
        let resumed = try trainer("early", resume: true)
        XCTAssertTrue(try resumed.train())
        assertSameState(resumed, uninterrupted)
    }
}
