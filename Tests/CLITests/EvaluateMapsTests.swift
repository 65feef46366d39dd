import Foundation
import MammoData
import Mammography
import XCTest

/// `evaluate --maps`: maps written by `predict --data`, or by the PyTorch reference network with
/// the same weights, score exactly what `evaluate --checkpoint` scores on the same checkpoint (up
/// to the 16-bit quantisation of the PNGs), and a missing or mis-sized map is one error line
/// naming the file.
final class EvaluateMapsTests: XCTestCase {
    var folder: TemporaryFolder!

    override func setUp() { folder = TemporaryFolder(name) }
    override func tearDown() { folder = nil }

    func mammoseg(_ arguments: [String]) throws -> MammosegProcess.Result {
        try MammosegProcess.run(arguments, folder: folder.path)
    }

    /// A dataset, a checkpoint whose maps have structure (the PyTorch-initialised fixture of
    /// MammographyTests: a briefly trained tiny net outputs one constant), and its maps of the test split.
    func prepared() throws -> (data: String, checkpoint: String, maps: String) {
        let checkpoint = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("MammographyTests/Fixtures/models/dilated-resize.safetensors").path
        guard FileManager.default.fileExists(atPath: checkpoint) else {
            throw XCTSkip("fixture \(checkpoint) missing; run scripts/fixtures/make_model_fixtures.py")
        }
        let data = folder.join("data"), maps = folder.join("maps")
        try TinyDataset.write(to: data, count: 40)
        let predicted = try mammoseg(["predict", "--checkpoint", checkpoint, "--data", data, "--split", "test",
                                      "--out", maps, "--threads", "2"])
        XCTAssertEqual(predicted.status, 0, predicted.stderr)
        return (data, checkpoint, maps)
    }

    func testMapsFromPredictScoreLikeTheCheckpoint() throws {
        let (data, checkpoint, maps) = try prepared()
        let fromCheckpoint = folder.join("checkpoint.json"), fromMaps = folder.join("maps.json")
        let a = try mammoseg(["evaluate", "--checkpoint", checkpoint, "--data", data, "--split", "test",
                              "--json", fromCheckpoint, "--bootstrap", "200", "--threads", "2"])
        XCTAssertEqual(a.status, 0, a.stderr)
        let b = try mammoseg(["evaluate", "--maps", maps, "--data", data, "--split", "test",
                              "--json", fromMaps, "--bootstrap", "200"])
        XCTAssertEqual(b.status, 0, b.stderr)
        XCTAssertTrue(b.stdout.contains("95 % CI"), b.stdout)
        try assertSameMetrics(fromCheckpoint, fromMaps)
    }

    /// Maps written by the PyTorch reference network (scripts/reference_maps.py, the same
    /// weights) match predict's pixel for pixel (within a few 16-bit steps: the two forward
    /// passes differ by float rounding), are read unchanged, and give the checkpoint's threshold
    /// metrics. (The ranking metrics — AUC, FROC — are left out: this fixture's maps are nearly
    /// flat, so rounding can turn a tie into an order.)
    func testMapsFromThePyTorchReferenceMatchPredictAndScoreLikeTheCheckpoint() throws {
        let (data, checkpoint, predicted) = try prepared()
        let maps = folder.join("pytorch-maps")
        let written = try DICOMCorpusTests.python(["scripts/reference_maps.py", checkpoint, "--data", data, "--split", "test",
                                                   "--out", maps, "--threads", "1"])
        XCTAssertEqual(written.status, 0, written.output)
        let entries = try PreparedDataset(root: data).entries(split: .test)
        XCTAssertFalse(entries.isEmpty)
        for entry in entries {
            let ours = try PNG.readGray(predicted + "/" + entry.id + "_probability.png")
            let theirs = try PNG.readGray(maps + "/" + entry.id + "_probability.png")
            XCTAssertEqual([theirs.width, theirs.height, theirs.bitDepth], [ours.width, ours.height, 16], entry.id)
            let worst = zip(ours.pixels, theirs.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 0
            XCTAssertLessThanOrEqual(worst, 4, "\(entry.id): PyTorch's map differs from predict's by \(worst)/65535")
        }
        let fromCheckpoint = folder.join("checkpoint.json"), fromMaps = folder.join("maps.json")
        let a = try mammoseg(["evaluate", "--checkpoint", checkpoint, "--data", data, "--split", "test",
                              "--json", fromCheckpoint, "--bootstrap", "0", "--threads", "2"])
        XCTAssertEqual(a.status, 0, a.stderr)
        let b = try mammoseg(["evaluate", "--maps", maps, "--data", data, "--split", "test", "--json", fromMaps, "--bootstrap", "0"])
        XCTAssertEqual(b.status, 0, b.stderr)
        let (x, y) = try reports(fromCheckpoint, fromMaps)
        let left = x.summaryMetrics(), right = y.summaryMetrics()
        for key in ["dice", "iou", "mean_dice", "recall", "precision", "fp_rate_normal"] {
            let u = left[key] ?? .nan, v = right[key] ?? .nan
            if u.isNaN && v.isNaN { continue }
            XCTAssertEqual(u, v, accuracy: 1e-3, key)
        }
    }

    /// Every metric of two evaluation reports (JSON files) within 1e-3.
    func assertSameMetrics(_ fromCheckpoint: String, _ fromMaps: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let (x, y) = try reports(fromCheckpoint, fromMaps)
        XCTAssertEqual(x.imageCount, y.imageCount, file: file, line: line)
        XCTAssertEqual(x.lesions.lesionCount, y.lesions.lesionCount, file: file, line: line)
        let left = x.summaryMetrics(), right = y.summaryMetrics()
        var compared = 0
        func close(_ name: String, _ u: Double?, _ v: Double?) {
            switch (u, v) {
            case (nil, nil): break
            case let (u?, v?) where u.isNaN && v.isNaN: break
            case let (u?, v?): XCTAssertEqual(u, v, accuracy: 1e-3, name, file: file, line: line); compared += 1
            default: XCTFail("\(name): \(String(describing: u)) vs \(String(describing: v))", file: file, line: line)
            }
        }
        for key in left.keys.sorted() { close(key, left[key], right[key]) }
        close("mean IoU", x.segmentation.meanIoU, y.segmentation.meanIoU)
        close("specificity", x.segmentation.specificity, y.segmentation.specificity)
        close("mean FP rate", x.negativeImages.meanFalsePositiveRate, y.negativeImages.meanFalsePositiveRate)
        close("images with FP", x.negativeImages.imagesWithFalsePositives, y.negativeImages.imagesWithFalsePositives)
        close("AUC top-k", x.imageLevel.aucTopKMean, y.imageLevel.aucTopKMean)
        close("seed rule accuracy", x.imageLevel.seedRule.accuracy, y.imageLevel.seedRule.accuracy)
        close("max FP/image", x.lesions.maximumFalsePositivesPerImage, y.lesions.maximumFalsePositivesPerImage)
        for key in x.lesions.sensitivityAtFalsePositives.keys.sorted() {
            close("FROC @ \(key)", x.lesions.sensitivityAtFalsePositives[key] ?? nil, y.lesions.sensitivityAtFalsePositives[key] ?? nil)
        }
        XCTAssertGreaterThan(compared, 8, file: file, line: line)
        XCTAssertEqual(x.confidenceIntervals?.patients, y.confidenceIntervals?.patients, file: file, line: line)
    }

    /// The evaluation reports (`evaluate --json`) in two files.
    func reports(_ first: String, _ second: String) throws -> (EvaluationReport, EvaluationReport) {
        func read(_ path: String) throws -> EvaluationReport {
            try JSONDecoder().decode(EvaluationReport.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
        }
        return (try read(first), try read(second))
    }

    func testMissingAndMisSizedMapsAreOneLineNamingTheFile() throws {
        let data = folder.join("data"), maps = folder.join("maps")
        try TinyDataset.write(to: data, count: 8)
        try FileManager.default.createDirectory(atPath: maps, withIntermediateDirectories: true)
        let entries = try PreparedDataset(root: data).entries(split: .test)
        let first = try XCTUnwrap(entries.first)
        var result = try mammoseg(["evaluate", "--maps", maps, "--data", data, "--split", "test"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertEqual(result.stderrLines.count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains(maps + "/" + first.id + "_probability.png"), result.stderr)
        XCTAssertTrue(result.stderr.contains("missing"), result.stderr)

        for entry in entries {
            try PNG.write(GrayImage(width: 10, height: 12, bitDepth: 16), to: maps + "/" + entry.id + "_probability.png")
        }
        result = try mammoseg(["evaluate", "--maps", maps, "--data", data, "--split", "test"])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertEqual(result.stderrLines.count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains(first.id + "_probability.png: is 10x12"), result.stderr)

        result = try mammoseg(["evaluate", "--maps", maps, "--checkpoint", "x.safetensors", "--data", data])
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("exactly one of --checkpoint and --maps"), result.stderr)
    }
}
