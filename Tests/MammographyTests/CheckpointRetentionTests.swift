import DNNLBackend
import Engine
import Foundation
import MammoData
@testable import Mammography
import XCTest

/// Training keeps only the newest `keepEpochCheckpoints` epoch checkpoints (plus best), so runs
/// with many short epochs do not fill the disk; 0 or nil keeps every one.
final class CheckpointRetentionTests: XCTestCase {
    func run(keep: Int?) throws -> [Int] {
        let folder = NSTemporaryDirectory() + "/mammoseg-retention-\(UUID().uuidString)"
        defer { try? FileManager.default.removeItem(atPath: folder) }
        var options = SyntheticDataset.Options()
        options.count = 8; options.size = 64; options.seed = 2; options.valFraction = 0.25; options.normalFraction = 0.25
        try SyntheticDataset.write(to: folder + "/data", options: options, overwrite: true)
        var c = TrainingConfiguration(data: folder + "/data", architecture: "dilated-resize")
        c.size = 64; c.width = 0.0625; c.batchSize = 4; c.epochs = 4; c.keepEpochCheckpoints = keep
        let run = RunFolder(root: folder + "/run")
        let trainer = try Trainer(configuration: c, run: run, backend: try DNNLBackend(threads: 1), resume: false)
        XCTAssertTrue(try trainer.train())
        XCTAssertTrue(FileManager.default.fileExists(atPath: run.bestCheckpoint))
        return run.epochCheckpoints().map(\.epoch)
    }

    func testKeepsTheNewestEpochCheckpoints() throws {
        XCTAssertEqual(try run(keep: 2), [3, 4])
    }

    func testZeroKeepsAll() throws {
        XCTAssertEqual(try run(keep: 0), [1, 2, 3, 4])
    }
}
