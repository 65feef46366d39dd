import Engine
import Foundation
import Mammography
import XCTest

/// A segmenter starts from a classifier's encoder: matching names and shapes are loaded,
/// the rest is reported with a reason.
final class TransferLearningTests: XCTestCase {
    private var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("mammoseg-transfer-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func saveClassifier(width: Double) throws -> (path: String, model: any SegmentationModel) {
        let classifier = try makeModel(.classifier, width: width, seed: 11)
        let path = directory.appendingPathComponent("classifier.safetensors").path
        try Checkpoint.save(parameters: classifier.parameters, optimizer: nil,
                            metadata: ["arch": "classifier", "size": "64", "width": "\(width)"], to: path)
        return (path, classifier)
    }

    func testClassifierEncoderInitialisesDilatedSegmenter() throws {
        let (path, classifier) = try saveClassifier(width: 0.0625)
        let segmenter = try makeModel(.dilatedResize, width: 0.0625, seed: 12)
        let decoderBefore = segmenter.parameters.filter { !$0.name.hasPrefix("encoder.") }.map(\.value)
        let report = try initialize(segmenter, from: path, prefix: "encoder.")

        // The classifier's 11 encoder blocks (6 tensors each) load; the dilated conv5_3/conv5_4
        // stay as initialised; fc1 and logits (linear shapes) do not fit the segmenter.
        XCTAssertEqual(report.loaded.count, 11 * 6)
        let sources = Dictionary(uniqueKeysWithValues: classifier.parameters.map { ($0.name, $0.value) })
        for parameter in segmenter.parameters where report.loaded.contains(parameter.name) {
            XCTAssertEqual(parameter.value, sources[parameter.name], parameter.name)
        }
        let skipped = Dictionary(uniqueKeysWithValues: report.skipped.map { ($0.name, $0.reason) })
        XCTAssertEqual(skipped["encoder.conv5_3.conv.weight"], "missing from the checkpoint")
        XCTAssertTrue(skipped["fc1.weight"]?.contains("not under 'encoder.'") == true)
        XCTAssertNotNil(skipped["logits.bias"])
        XCTAssertEqual(segmenter.parameters.filter { !$0.name.hasPrefix("encoder.") }.map(\.value), decoderBefore)
        XCTAssertTrue(report.summary(file: path).hasPrefix("loaded 66 tensors from \(path)"))
    }

    /// Without a prefix every name-and-shape match loads, including the classifier's
    /// `logits.bias` ([2] in both); mismatched shapes are skipped with the reason.
    func testWithoutPrefixEveryMatchingTensorLoads() throws {
        let (path, _) = try saveClassifier(width: 0.0625)
        let segmenter = try makeModel(.dilatedResize, width: 0.0625, seed: 12)
        let report = try initialize(segmenter, from: path)
        XCTAssertEqual(report.loaded.count, 11 * 6 + 1)
        XCTAssertTrue(report.loaded.contains("logits.bias"))
        let skipped = Dictionary(uniqueKeysWithValues: report.skipped.map { ($0.name, $0.reason) })
        XCTAssertEqual(skipped["fc1.weight"], "not in the model")
        XCTAssertTrue(skipped["logits.weight"]?.contains("shape") == true, "\(skipped["logits.weight"] ?? "-")")
    }

    func testCheckpointOfAnotherWidthIsAClearError() throws {
        let (path, _) = try saveClassifier(width: 0.0625)
        let segmenter = try makeModel(.fcnTranspose, width: 0.125)
        XCTAssertThrowsError(try initialize(segmenter, from: path, prefix: "encoder.")) { error in
            XCTAssertTrue("\(error)".contains(path) && "\(error)".contains("--width"), "\(error)")
        }
    }
}
