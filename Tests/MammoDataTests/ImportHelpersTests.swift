import XCTest
@testable import MammoData

final class ImportHelpersTests: XCTestCase {
    func testLateralityAndViewFromNames() {
        XCTAssertEqual(Orientation.laterality(fromName: "Mass-Training_P_00001_LEFT_CC"), .left)
        XCTAssertEqual(Orientation.laterality(fromName: "case12_R_MLO.dcm"), .right)
        XCTAssertEqual(Orientation.laterality(fromName: "img-RCC.png"), .right)
        XCTAssertNil(Orientation.laterality(fromName: "mdb001.pgm"))
        XCTAssertNil(Orientation.laterality(fromName: "R_value_scan.png"), "a lone R is not a laterality")
        XCTAssertEqual(Orientation.view(fromName: "P_00001_LEFT_MLO"), "MLO")
        XCTAssertEqual(Orientation.view(fromName: "x_LCC"), "CC")
    }

    func testBrighterHalfDecidesWhenLateralityIsUnknown() {
        var image = GrayImage(width: 4, height: 2, bitDepth: 16)
        image[3, 0] = 1000
        XCTAssertTrue(Orientation.needsFlip(image, laterality: nil))
        XCTAssertFalse(Orientation.needsFlip(image, laterality: .left))
        XCTAssertTrue(Orientation.needsFlip(image.flippedHorizontally(), laterality: .right))
        XCTAssertEqual(image.flippedHorizontally()[0, 0], 1000)
    }

    func testAreaAverageIntegratesCoveredArea() {
        let image = GrayImage(width: 3, height: 1, bitDepth: 16, pixels: [0, 300, 600])
        // 3 → 2: each output covers 1.5 source pixels.
        XCTAssertEqual(Resampling.areaAverage(image, width: 2, height: 1).pixels, [100, 500])
        let square = GrayImage(width: 4, height: 4, bitDepth: 8, pixels: (0..<16).map { UInt16($0) })
        XCTAssertEqual(Resampling.areaAverage(square, width: 2, height: 2).pixels, [3, 5, 11, 13])  // 2.5, 4.5, 10.5, 12.5 rounded
        XCTAssertEqual(Resampling.nearest(square, width: 2, height: 2).pixels, [5, 7, 13, 15])
        XCTAssertEqual(Resampling.Scale.longestSide(100).size(width: 300, height: 150).width, 100)
        XCTAssertEqual(Resampling.Scale.factor(0.5).size(width: 300, height: 151).height, 76)
        XCTAssertTrue(Resampling.aspectMatches((1789, 4386), (2056, 5041)), "CBIS Mass-Test_P_00145: same aspect")
        // Calc-Test_P_00353 (4688×3088 vs 4624×3056) is 0.33 % apart: inside the 1 % rule, so resized.
        XCTAssertTrue(Resampling.aspectMatches((3088, 4688), (3056, 4624)))
        XCTAssertFalse(Resampling.aspectMatches((3088, 4688), (3056, 4624), tolerance: 0.001))
        XCTAssertFalse(Resampling.aspectMatches((40, 50), (40, 60)))
    }

    func testImportLogCountsReasonsAndSummarises() {
        let capture = LogCapture()
        let log = ImportLog(showProgress: false, write: capture.append)
        log.skip("a.dcm", reason: "no ROI mask", detail: "x")
        log.skip("b.dcm", reason: "no ROI mask", detail: "y")
        let entries = [DatasetEntry(id: "c", split: .train, patientID: "P", source: "s", label: .benign)]
        XCTAssertEqual(log.skipped, ["no ROI mask": 2])
        XCTAssertEqual(log.summary(entries, into: "out"),
                       "imported 1 images (1 with lesions; train 1, val 0, test 0) into out, skipped 2 (no ROI mask: 2)")
        XCTAssertTrue(capture.text.contains("skipped a.dcm: no ROI mask (x)"))
    }
}
