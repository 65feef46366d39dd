import XCTest
@testable import Mammography

final class SegmentationMetricsTests: XCTestCase {
    func testCountsGiveForegroundDiceAndIoU() {
        // 2x3 map: TP at 0, FP at 1, FN at 2, TN at 3...5.
        let counts = SegmentationCounts(probability: [0.9, 0.8, 0.1, 0, 0.2, 0.4], mask: [1, 0, 1, 0, 0, 0], threshold: 0.5)
        XCTAssertEqual(counts, SegmentationCounts(truePositive: 1, falsePositive: 1, falseNegative: 1, trueNegative: 3))
        XCTAssertEqual(counts.dice!, 2.0 / 4.0, accuracy: 1e-12)
        XCTAssertEqual(counts.iou!, 1.0 / 3.0, accuracy: 1e-12)
        XCTAssertEqual(counts.specificity!, 3.0 / 4.0, accuracy: 1e-12)
        XCTAssertNil(SegmentationCounts(probability: [0.1], mask: [0], threshold: 0.5).dice)
    }

    func testAUCMatchesMannWhitneyWithTies() {
        XCTAssertEqual(ROC.auc(scores: [0.1, 0.4, 0.35, 0.8], labels: [false, false, true, true])!, 0.75, accuracy: 1e-12)
        XCTAssertEqual(ROC.auc(scores: [0.5, 0.5], labels: [true, false])!, 0.5, accuracy: 1e-12)
        // Ties across classes count one half. Pairs (positive, negative): (0.7, 0.2) → 1,
        // (0.7, 0.7) → ½, (0.2, 0.2) → ½, (0.2, 0.7) → 0; mean ½.
        XCTAssertEqual(ROC.auc(scores: [0.7, 0.2, 0.2, 0.7], labels: [true, true, false, false])!, 0.5, accuracy: 1e-12)
        XCTAssertEqual(ROC.auc(scores: [3, 1, 2], labels: [true, false, false])!, 1, accuracy: 1e-12)
        XCTAssertNil(ROC.auc(scores: [0.3, 0.4], labels: [true, true]))
        let curve = ROC.curve(scores: [0.1, 0.4, 0.35, 0.8], labels: [false, false, true, true])
        XCTAssertEqual(curve.first?.truePositiveRate, 0)
        XCTAssertEqual(curve.last?.falsePositiveRate, 1)
        XCTAssertEqual(curve.last?.truePositiveRate, 1)
    }

    func testAUCEqualsPairCountingOnTiedData() {
        // Scores quantised to 10 levels so ties are common; labels correlated with score.
        var state: UInt64 = 12345
        func next() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / Double(1 << 53) }
        let labels = (0..<200).map { _ in next() < 0.4 }
        let scores = labels.map { (($0 ? 0.3 : 0) + next() * 0.7 * 10).rounded(.down) / 10 }
        var wins = 0.0, pairs = 0.0
        for (sp, lp) in zip(scores, labels) where lp {
            for (sn, ln) in zip(scores, labels) where !ln {
                pairs += 1
                wins += sp > sn ? 1 : (sp == sn ? 0.5 : 0)
            }
        }
        XCTAssertEqual(ROC.auc(scores: scores, labels: labels)!, wins / pairs, accuracy: 1e-12)
    }

    func testClassifierMetrics() {
        let m = ClassifierMetrics(probabilities: [0.9, 0.6, 0.4, 0.2], labels: [true, false, true, false])
        XCTAssertEqual(m.truePositive, 1); XCTAssertEqual(m.falsePositive, 1)
        XCTAssertEqual(m.falseNegative, 1); XCTAssertEqual(m.trueNegative, 1)
        XCTAssertEqual(m.accuracy!, 0.5, accuracy: 1e-12)
        XCTAssertEqual(m.recall!, 0.5, accuracy: 1e-12)
        XCTAssertEqual(m.precision!, 0.5, accuracy: 1e-12)
        XCTAssertEqual(m.auc!, 0.75, accuracy: 1e-12)
    }

    func testSeedRuleNeedsMoreThanSizeSquaredOver750Pixels() {
        // 30 x 25 = 750 pixels: the rule needs more than one flagged pixel.
        var map = [Float](repeating: 0, count: 750)
        map[10] = 0.9
        XCTAssertFalse(ImageScore.seedRule(map, width: 30, height: 25, threshold: 0.5))
        map[20] = 0.9
        XCTAssertTrue(ImageScore.seedRule(map, width: 30, height: 25, threshold: 0.5))
        XCTAssertEqual(ImageScore.topK(width: 60, height: 50), 4)
        XCTAssertEqual(ImageScore.topKMean([0.1, 0.9, 0.5, 0.7], k: 2), 0.8, accuracy: 1e-6)
    }

    func testComponentsAreEightConnectedAndLargeOnesDoNotRecurse() {
        // Diagonal neighbours join; a gap of one pixel separates.
        let mask: [Bool] = [true, false, false, true,
                            false, true, false, false,
                            false, false, false, true]
        let components = ConnectedComponents(mask: mask, width: 4, height: 3)
        XCTAssertEqual(components.count, 3)
        XCTAssertEqual(components.sizes, [2, 1, 1])
        XCTAssertEqual(components.labels[0], components.labels[5])
        let full = ConnectedComponents(mask: [Bool](repeating: true, count: 300 * 300), width: 300, height: 300)
        XCTAssertEqual(full.sizes, [90_000])
    }

    /// Paints a `w x h` rectangle with `value` at (x, y).
    private func paint<T>(_ array: inout [T], width: Int, x: Int, y: Int, w: Int, h: Int, _ value: T) {
        for yy in y..<(y + h) { for xx in x..<(x + w) { array[yy * width + xx] = value } }
    }

    func testEvaluateReportsEveryDefinition() throws {
        let width = 10, height = 10
        var mask = [UInt8](repeating: 0, count: 100)
        paint(&mask, width: width, x: 2, y: 2, w: 4, h: 4, 255)          // 16 px lesion
        var positiveMap = [Float](repeating: 0.1, count: 100)
        paint(&positiveMap, width: width, x: 2, y: 2, w: 4, h: 2, 0.8)   // 8 px found
        positiveMap[99] = 0.7                                             // 1 px FP
        var negativeMap = [Float](repeating: 0.2, count: 100)
        paint(&negativeMap, width: width, x: 0, y: 0, w: 2, h: 2, 0.9)   // 4 flagged px
        var breast = [Bool](repeating: false, count: 100)
        paint(&breast, width: width, x: 0, y: 0, w: 10, h: 5, true)      // 50 breast px
        let samples = [
            SegmentationSample(id: "pos", width: width, height: height, probability: positiveMap, mask: mask),
            SegmentationSample(id: "neg", width: width, height: height, probability: negativeMap,
                               mask: [UInt8](repeating: 0, count: 100), breast: breast),
        ]
        let report = try SegmentationMetrics.evaluate(samples: samples, threshold: 0.5)
        XCTAssertEqual(report.positiveImageCount, 1)
        XCTAssertEqual(report.segmentation.pooledDice!, 16.0 / 25.0, accuracy: 1e-12)   // 2·8 / (16 + 1 + 8)
        XCTAssertEqual(report.segmentation.meanIoU!, 8.0 / 17.0, accuracy: 1e-12)
        XCTAssertEqual(report.segmentation.recall!, 0.5, accuracy: 1e-12)
        XCTAssertEqual(report.negativeImages.falsePositiveRate!, 4.0 / 50.0, accuracy: 1e-12)
        XCTAssertEqual(report.imageLevel.aucMax!, 0, accuracy: 1e-12)                    // 0.8 < 0.9
        XCTAssertEqual(report.imageLevel.seedRule.truePositive, 1)                      // 9 px > 100/750
        XCTAssertEqual(report.lesions.lesionCount, 1)

        let decoded = try JSONDecoder().decode(EvaluationReport.self, from: report.json())
        XCTAssertEqual(decoded, report)
        let table = report.textTable().split(separator: "\n")
        XCTAssertTrue(table[0].hasPrefix("metric"))
        XCTAssertEqual(Set(table.dropFirst(2).map(\.count)).count, 1, "value column right-aligned to one width")
        XCTAssertTrue(report.textTable().contains("0.6400"))
    }

    func testEvaluateRejectsMismatchedSizes() {
        let bad = SegmentationSample(id: "img7", width: 4, height: 4, probability: [0.1], mask: [UInt8](repeating: 0, count: 16))
        XCTAssertThrowsError(try SegmentationMetrics.evaluate(samples: [bad])) { error in
            XCTAssertTrue("\(error)".contains("img7: probability map"))
        }
    }

    func testThresholdBaseline() throws {
        // Lesion pixels are the only bright ones: a cut separates them perfectly.
        var image = [Float](repeating: 0.3, count: 64), mask = [UInt8](repeating: 0, count: 64)
        for i in 0..<8 { image[i] = 0.8; mask[i] = 255 }
        let easy = try ThresholdBaseline.best(images: [image], masks: [mask])
        XCTAssertEqual(easy.dice, 1, accuracy: 1e-12)
        XCTAssertTrue(easy.threshold > 0.3 && easy.threshold <= 0.8)
        // Same intensity inside and out: the best cut flags everything, Dice = 2·8/(16 + 56).
        let flat = try ThresholdBaseline.best(images: [[Float](repeating: 0.5, count: 64)], masks: [mask])
        XCTAssertEqual(flat.dice, 16.0 / 72.0, accuracy: 1e-12)
        XCTAssertThrowsError(try ThresholdBaseline.best(images: [image], masks: []))
    }
}
