import DNNLBackend
import Engine
import Foundation
import MammoData
@testable import Mammography
import XCTest

/// `ArchitectureComparison` end to end on a tiny synthetic dataset: two architectures,
/// one epoch each, every file written and every column filled.
final class ArchitectureComparisonTests: XCTestCase {
    var folder = ""

    override func setUpWithError() throws {
        folder = NSTemporaryDirectory() + "/mammoseg-compare-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: folder)
    }

    func makeSettings() throws -> ArchitectureComparison.Settings {
        var options = SyntheticDataset.Options()
        options.count = 16; options.size = 64; options.seed = 3
        options.valFraction = 0.25; options.testFraction = 0.25
        try SyntheticDataset.write(to: folder + "/data", options: options)
        var training = TrainingConfiguration(data: folder + "/data", architecture: "")
        training.size = 64; training.width = 0.0625; training.epochs = 1; training.batchSize = 4
        return .init(training: training, architectures: [.dilatedResize, .dilatedTransposeFirst], out: folder + "/out")
    }

    func testComparisonWritesTablesFiguresAndRuns() throws {
        let settings = try makeSettings()
        let comparison = try ArchitectureComparison(settings: settings, backend: DNNLBackend(threads: 1))
        let results = try comparison.run()
        XCTAssertEqual(results.map(\.architecture), ["dilated-resize", "dilated-transpose-first"])
        for result in results {
            XCTAssertEqual(result.epochs, 1)
            XCTAssertGreaterThan(result.parameters, 0)
            XCTAssertGreaterThan(try XCTUnwrap(result.secondsPerEpoch), 0)
            XCTAssertEqual(result.initial.layers.map(\.name), ["up1", "up2", "up3", "up4", "up5", "tconv1", "tconv2"])
            XCTAssertNotNil(result.initial.probability.cef2)
            XCTAssertNotNil(result.trained.probability.cef2)
            XCTAssertEqual(Set(result.probe.keys), ["constant", "texture"])
            let values = result.values
            for column in ["fp_rate_normal", "prob_init_cef2", "up_trained_cef4", "probe_texture_prob_cef2", "parameters"] {
                XCTAssertTrue(values[column]?.isFinite ?? false, "\(result.architecture): \(column)")
            }
        }
        let markdown = try String(contentsOfFile: comparison.markdownFile, encoding: .utf8)
        XCTAssertTrue(markdown.contains("| dilated-transpose-first |"))
        XCTAssertTrue(markdown.contains("| dilated-resize tconv1 (64²) |"))
        let table = try JSONDecoder().decode(ComparisonTable.self,
                                             from: Data(contentsOf: URL(fileURLWithPath: comparison.tableFile)))
        XCTAssertEqual(table.rows.count, 2)
        XCTAssertEqual(Array(table.columns.prefix(3)), ["dice", "iou", "fp_rate_normal"])
        let decoded = try JSONDecoder().decode([ArchitectureResult].self,
                                               from: Data(contentsOf: URL(fileURLWithPath: comparison.resultsFile)))
        XCTAssertEqual(decoded.map(\.architecture), results.map(\.architecture))
        for figure in ["case-positive.png", "case-normal.png", "features-dilated-resize-init-up4.png",
                       "features-dilated-transpose-first-trained-up4.png"] {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: comparison.figuresFolder + "/" + figure))
            XCTAssertEqual(Array(bytes.prefix(4)), [0x89, 0x50, 0x4E, 0x47], figure)  // PNG signature
        }
        XCTAssertTrue(FileManager.default.fileExists(atPath: comparison.runFolder(.dilatedResize) + "/checkpoints/best.safetensors"))

        // A second comparison into the same folder would mix runs: refused before any training.
        XCTAssertThrowsError(try ArchitectureComparison(settings: settings, backend: DNNLBackend(threads: 1))) { error in
            XCTAssertTrue("\(error)".contains("choose a new --out"), "\(error)")
        }
    }

    /// A time budget ends each run normally after the epoch in which it ran out (here: the
    /// first, one batch long), and the comparison goes on to the next architecture.
    func testTimeBudgetEndsEachRunNormally() throws {
        var settings = try makeSettings()
        settings.training.epochs = 5; settings.training.batchSize = 8; settings.training.timeBudgetSeconds = 0
        let comparison = try ArchitectureComparison(settings: settings, backend: DNNLBackend(threads: 1))
        let results = try comparison.run()
        XCTAssertEqual(results.map(\.epochs), [1, 1])
        XCTAssertTrue(try String(contentsOfFile: comparison.markdownFile, encoding: .utf8).contains("at most 0 minutes each"))
    }

    func testSettingsAreCheckedBeforeTraining() throws {
        var settings = try makeSettings()
        settings.architectures = [.fcnTranspose]
        XCTAssertThrowsError(try ArchitectureComparison(settings: settings, backend: ReferenceBackend())) { error in
            XCTAssertTrue("\(error)".contains("--size 64 does not suit fcn-transpose"), "\(error)")
        }
        settings.architectures = [.classifier]
        XCTAssertThrowsError(try ArchitectureComparison(settings: settings, backend: ReferenceBackend()))
        settings.architectures = []
        XCTAssertThrowsError(try ArchitectureComparison(settings: settings, backend: ReferenceBackend()))
    }
}
