import Foundation
import MammoData
import Mammography
import XCTest

/// `evaluate --maps` on maps in the source image's geometry: the DICOM Segmentations (and the
/// PNG maps) raw `predict --dicom-seg` writes for the DICOM originals of a dataset's test split,
/// brought through the manifest's per-image transform, score what `evaluate --checkpoint` scores
/// on the prepared images within 1e-2 on every metric; a missing or mis-sized SEG is one error
/// line naming the file.
final class EvaluateSegmentationMapsTests: XCTestCase {
    var folder: TemporaryFolder!

    override func setUp() { folder = TemporaryFolder(name) }
    override func tearDown() { folder = nil }

    func mammoseg(_ arguments: [String]) throws -> MammosegProcess.Result {
        try MammosegProcess.run(arguments, folder: folder.path)
    }

    /// Film scans of both sides as DICOMs with lesion masks (half the women normal), imported
    /// with the study's preprocessing at longest side 128; then predict on the test split's originals.
    private func scenario() throws -> (data: String, checkpoint: String, out: String, test: [DatasetEntry]) {
        let checkpoint = try PredictDICOMSegTests.checkpoint
        let images = folder.join("raw", "images"), masks = folder.join("raw", "masks")
        try FileManager.default.createDirectory(atPath: images, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: masks, withIntermediateDirectories: true)
        for index in 0..<10 {
            let left = index % 2 == 0
            let width = 300 + 20 * index, height = 480 + 12 * index
            let scan = SyntheticFilmScan(width: width, height: height, chestWallLeft: left, seed: UInt64(40 + index))
            let name = String(format: "P_%05d_%@_CC", index + 1, left ? "L" : "R")
            try DICOMWriter.write(scan.image, to: images + "/\(name).dcm",
                                  attributes: DICOMAttributes(patientID: name, laterality: left ? "L" : "R", viewPosition: "CC"))
            guard index % 4 < 2 else { continue }
            var mask = GrayImage(width: width, height: height, bitDepth: 8)
            let cx = left ? width / 4 : width - width / 4, cy = height / 2 - 20 + 8 * index, r = 18 + index
            for y in (cy - r)...(cy + r) { for x in (cx - r)...(cx + r) where (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r {
                mask[x, y] = 255
            } }
            try PNG.write(mask, to: masks + "/\(name).png")
        }
        let data = folder.join("data")
        let imported = try mammoseg(["import", "folder", "--images", images, "--masks", masks, "--out", data,
                                     "--longest-side", "128", "--test-fraction", "0.7", "--val-fraction", "0.1", "--quiet"])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let test = try PreparedDataset(root: data).entries(split: .test)
        XCTAssertGreaterThanOrEqual(test.count, 5)
        XCTAssertTrue(test.allSatisfy { $0.transform != nil && $0.transform!.sourceWidth != $0.transform!.preparedWidth })
        let out = folder.join("out")
        let predicted = try mammoseg(["predict", "--checkpoint", checkpoint, "--out", out, "--dicom-seg",
                                      "--target-longest-side", "128", "--threads", "2"] + test.map { images + "/\($0.id).dcm" })
        XCTAssertEqual(predicted.status, 0, predicted.stderr)
        return (data, checkpoint, out, test)
    }

    func testSegmentationsFromRawPredictScoreLikeTheCheckpoint() throws {
        let (data, checkpoint, out, test) = try scenario()
        // The SEGs alone in one folder; the source-grid PNGs predict wrote beside them in the other.
        let segs = folder.join("segs")
        try FileManager.default.createDirectory(atPath: segs, withIntermediateDirectories: true)
        for entry in test {
            try FileManager.default.moveItem(atPath: out + "/\(entry.id)_seg.dcm", toPath: segs + "/\(entry.id)_seg.dcm")
        }
        let fromCheckpoint = try evaluate(["--checkpoint", checkpoint, "--threads", "2"], data: data, json: "checkpoint.json")
        let fromSegs = try evaluate(["--maps", segs], data: data, json: "segs.json")
        let fromPNGs = try evaluate(["--maps", out], data: data, json: "pngs.json")
        XCTAssertGreaterThan(fromCheckpoint.lesions.lesionCount, 0)
        assertClose(fromCheckpoint, fromSegs, "8-bit SEG")
        assertClose(fromCheckpoint, fromPNGs, "16-bit source-grid PNG")
    }

    func testMissingAndMisSizedSegmentationsAreOneLineNamingTheFile() throws {
        let (data, _, out, test) = try scenario()
        for entry in test { try FileManager.default.removeItem(atPath: out + "/\(entry.id)_probability.png") }
        let first = try XCTUnwrap(test.first), second = test[1]
        // Another image's SEG under this image's name: neither the prepared nor the source size.
        try FileManager.default.removeItem(atPath: out + "/\(first.id)_seg.dcm")
        var result = try mammoseg(["evaluate", "--maps", out, "--data", data, "--split", "test"])
        assertOneLineError(result, naming: out + "/\(first.id)_probability.png", mentioning: ["missing", "\(first.id)_seg.dcm"])
        try FileManager.default.copyItem(atPath: out + "/\(second.id)_seg.dcm", toPath: out + "/\(first.id)_seg.dcm")
        result = try mammoseg(["evaluate", "--maps", out, "--data", data, "--split", "test"])
        let source = try XCTUnwrap(first.transform)
        assertOneLineError(result, naming: out + "/\(first.id)_seg.dcm",
                           mentioning: ["is \(second.transform!.sourceWidth)x\(second.transform!.sourceHeight)",
                                        "its source \(source.sourceWidth)x\(source.sourceHeight)"])
        // Not a Segmentation at all.
        try FileManager.default.removeItem(atPath: out + "/\(first.id)_seg.dcm")
        try Data("not dicom".utf8).write(to: URL(fileURLWithPath: out + "/\(first.id)_seg.dcm"))
        result = try mammoseg(["evaluate", "--maps", out, "--data", data, "--split", "test"])
        assertOneLineError(result, naming: out + "/\(first.id)_seg.dcm", mentioning: ["DICOM"])
    }

    private func evaluate(_ arguments: [String], data: String, json: String) throws -> EvaluationReport {
        let path = folder.join(json)
        let result = try mammoseg(["evaluate", "--data", data, "--split", "test", "--json", path, "--bootstrap", "200"] + arguments)
        XCTAssertEqual(result.status, 0, result.stderr)
        return try JSONDecoder().decode(EvaluationReport.self, from: Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Every metric of the report within 1e-2 (design: 8-bit SEG maps).
    private func assertClose(_ x: EvaluationReport, _ y: EvaluationReport, _ label: String,
                             file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(x.imageCount, y.imageCount, label, file: file, line: line)
        XCTAssertEqual(x.lesions.lesionCount, y.lesions.lesionCount, label, file: file, line: line)
        var compared = 0
        func close(_ name: String, _ u: Double?, _ v: Double?) {
            switch (u, v) {
            case (nil, nil): break
            case let (u?, v?) where u.isNaN && v.isNaN: break
            case let (u?, v?): XCTAssertEqual(u, v, accuracy: 1e-2, "\(label): \(name)", file: file, line: line); compared += 1
            default: XCTFail("\(label): \(name): \(String(describing: u)) vs \(String(describing: v))", file: file, line: line)
            }
        }
        let left = x.summaryMetrics(), right = y.summaryMetrics()
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
        XCTAssertGreaterThan(compared, 8, label, file: file, line: line)
    }
}
