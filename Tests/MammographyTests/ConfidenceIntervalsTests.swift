import XCTest
@testable import Mammography

final class ConfidenceIntervalsTests: XCTestCase {
    /// Patient `p`: one positive image (a 4×4 lesion, found with `found` of its 16 pixels) and one normal image
    /// with `flagged` of its 64 breast pixels above the threshold.
    private func patient(_ p: String, found: Int, flagged: Int) -> [SegmentationSample] {
        var mask = [UInt8](repeating: 0, count: 64), map = [Float](repeating: 0, count: 64)
        for y in 2..<6 { for x in 2..<6 { mask[y * 8 + x] = 255 } }
        for k in 0..<found { map[(2 + k / 4) * 8 + 2 + k % 4] = 0.9 }
        var normal = [Float](repeating: 0, count: 64)
        for k in 0..<flagged { normal[k] = 0.8 }
        return [SegmentationSample(id: p + "-pos", width: 8, height: 8, probability: map, mask: mask, patientID: p),
                SegmentationSample(id: p + "-neg", width: 8, height: 8, probability: normal,
                                   mask: [UInt8](repeating: 0, count: 64), patientID: p)]
    }

    func testIdenticalPatientsGiveAPointInterval() throws {
        let samples = (0..<5).flatMap { patient("p\($0)", found: 8, flagged: 4) }
        let report = try SegmentationMetrics.evaluate(samples: samples, bootstrapReplicates: 300, seed: 3)
        let ci = try XCTUnwrap(report.confidenceIntervals)
        XCTAssertEqual(ci.patients, 5)
        let dice = try XCTUnwrap(ci.intervals["dice"])
        XCTAssertEqual(dice.lower, report.segmentation.pooledDice!, accuracy: 1e-12)
        XCTAssertEqual(dice.upper, report.segmentation.pooledDice!, accuracy: 1e-12)
        XCTAssertEqual(ci.intervals["fp_rate_normal"]!.lower, 4.0 / 64, accuracy: 1e-12)
    }

    func testPatientsAreDrawnWholeAndTheSeedFixesTheResult() throws {
        let samples = patient("a", found: 16, flagged: 0) + patient("b", found: 4, flagged: 32) + patient("c", found: 10, flagged: 8)
        let one = try SegmentationMetrics.evaluate(samples: samples, bootstrapReplicates: 500, seed: 9)
        let again = try SegmentationMetrics.evaluate(samples: samples, bootstrapReplicates: 500, seed: 9)
        XCTAssertEqual(one.confidenceIntervals, again.confidenceIntervals)
        let ci = try XCTUnwrap(one.confidenceIntervals)
        // Every patient brings a normal image, so no replicate lacks one; drawing images would.
        XCTAssertEqual(ci.intervals["fp_rate_normal"]!.replicates, 500)
        let fp = ci.intervals["fp_rate_normal"]!, dice = ci.intervals["dice"]!
        XCTAssertLessThan(fp.lower, one.negativeImages.falsePositiveRate!)
        XCTAssertGreaterThan(fp.upper, one.negativeImages.falsePositiveRate!)
        XCTAssertLessThanOrEqual(dice.lower, one.segmentation.pooledDice!)
        XCTAssertGreaterThanOrEqual(dice.upper, one.segmentation.pooledDice!)
        XCTAssertTrue(one.textTable().contains("95 % CI"))
        XCTAssertNil(try SegmentationMetrics.evaluate(samples: samples).confidenceIntervals)
    }

    func testPercentileInterpolatesLikeNumpy() {
        XCTAssertEqual(ConfidenceIntervals.percentile([1, 2, 3, 4], 0.25), 1.75, accuracy: 1e-12)
        XCTAssertEqual(ConfidenceIntervals.percentile([1, 2, 3, 4], 0.975), 3.925, accuracy: 1e-12)
        XCTAssertEqual(ConfidenceIntervals.percentile([5], 0.025), 5)
    }
}
