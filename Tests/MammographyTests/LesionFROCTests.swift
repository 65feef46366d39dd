import XCTest
@testable import Mammography

/// The lesion FROC of design.md on hand-made maps whose answers are worked out by hand.
final class LesionFROCTests: XCTestCase {
    private let size = 64

    private func paint<T>(_ array: inout [T], x: Int, y: Int, w: Int, h: Int, _ value: T) {
        for yy in y..<(y + h) { for xx in x..<(x + w) { array[yy * size + xx] = value } }
    }

    /// A 7×7 square of `score` centred at (x, y): after smoothing with σ 1 (taps reach 3 px)
    /// its centre keeps exactly `score` and is the square's only maximum.
    private func peak(_ map: inout [Float], _ x: Int, _ y: Int, _ score: Float) {
        paint(&map, x: x - 3, y: y - 3, w: 7, h: 7, score)
    }

    private func empty<T: Numeric>() -> [T] { [T](repeating: 0, count: size * size) }

    /// Two images, three lesions (one a cluster of three specks), eight peaks:
    ///   0.9 hit A · 0.8 FP · 0.7 hit C (in the dilation ring) · 0.6 A again (ignored) ·
    ///   0.5 hit B (cluster) · 0.4 another speck of B (ignored) · 0.3 FP · 0.2 FP.
    private func twoImages() -> [(map: [Float], mask: [UInt8])] {
        var mask1: [UInt8] = empty(), map1: [Float] = empty()
        paint(&mask1, x: 8, y: 8, w: 20, h: 6, 255)                       // lesion A
        for x in [40, 46, 52] { paint(&mask1, x: x, y: 8, w: 2, h: 2, 255) } // lesion B: specks 4 px apart
        peak(&map1, 10, 10, 0.9)     // inside A
        peak(&map1, 10, 40, 0.8)     // nothing there
        peak(&map1, 25, 10, 0.6)     // inside A again
        peak(&map1, 40, 9, 0.5)      // on B's first speck
        peak(&map1, 56, 9, 0.4)      // 3 px right of B's last speck
        var mask2: [UInt8] = empty(), map2: [Float] = empty()
        paint(&mask2, x: 40, y: 40, w: 6, h: 6, 255)                      // lesion C: x 40…45
        peak(&map2, 49, 42, 0.7)     // 4 px right of C: inside the dilation
        peak(&map2, 20, 50, 0.3)
        peak(&map2, 10, 10, 0.2)
        return [(map1, mask1), (map2, mask2)]
    }

    func testHandMadeCurveHasTheWorkedOutAnswer() {
        var froc = LesionFROC()
        for image in twoImages() { froc.add(probability: image.map, mask: image.mask, width: size, height: size) }
        XCTAssertEqual(froc.lesionCount, 3, "the three specks are one lesion")
        XCTAssertEqual(froc.images[0].hitScores, [0.9, 0.5].map { Float($0) }, accuracy: 1e-5)
        XCTAssertEqual(froc.images[0].falsePositiveScores, [Float(0.8)], accuracy: 1e-5)
        XCTAssertEqual(froc.images[1].hitScores, [Float(0.7)], accuracy: 1e-5)
        XCTAssertEqual(froc.images[1].falsePositiveScores, [0.3, 0.2].map { Float($0) }, accuracy: 1e-5)

        let expected: [(fp: Double, sensitivity: Double)] = [(0, 1.0 / 3), (0.5, 1.0 / 3), (0.5, 2.0 / 3), (0.5, 1), (1, 1), (1.5, 1)]
        XCTAssertEqual(froc.sweep.count, expected.count)
        for (point, want) in zip(froc.sweep, expected) {
            XCTAssertEqual(point.falsePositivesPerImage, want.fp, accuracy: 1e-12)
            XCTAssertEqual(point.sensitivity, want.sensitivity, accuracy: 1e-12)
        }
        XCTAssertEqual(froc.maximumFalsePositivesPerImage, 1.5)
        let s = froc.sensitivities
        XCTAssertEqual(s.count, 6)
        XCTAssertEqual(s[0]!, 1.0 / 3, accuracy: 1e-12)   // 0.125
        XCTAssertEqual(s[1]!, 1.0 / 3, accuracy: 1e-12)   // 0.25
        XCTAssertEqual(s[2]!, 1, accuracy: 1e-12)         // 0.5
        XCTAssertEqual(s[3]!, 1, accuracy: 1e-12)         // 1
        XCTAssertNil(s[4], "2 FP/image is beyond the 1.5 the candidates reach")
        XCTAssertNil(s[5])
        XCTAssertEqual(froc.reachedRates, [0.125, 0.25, 0.5, 1])
        XCTAssertEqual(froc.cpm!, (1.0 / 3 + 1.0 / 3 + 1 + 1) / 4, accuracy: 1e-12)
    }

    func testNormalImagesCountInFalsePositivesPerImage() {
        var froc = LesionFROC()
        for image in twoImages() { froc.add(probability: image.map, mask: image.mask, width: size, height: size) }
        var normal: [Float] = empty()
        peak(&normal, 30, 30, 0.95)
        froc.add(probability: normal, mask: empty(), width: size, height: size)
        froc.add(probability: empty(), mask: empty(), width: size, height: size)
        // Four images, four FPs: 0.95 on the normal image costs 0.25 FP/image before anything is found.
        XCTAssertEqual(froc.maximumFalsePositivesPerImage, 1)
        XCTAssertEqual(froc.sensitivity(atFalsePositivesPerImage: 0.125)!, 0, accuracy: 1e-12)
        XCTAssertEqual(froc.sensitivity(atFalsePositivesPerImage: 0.25)!, 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(froc.sensitivity(atFalsePositivesPerImage: 0.5)!, 1, accuracy: 1e-12)
        XCTAssertNil(froc.sensitivity(atFalsePositivesPerImage: 2))
    }

    func testHitToleranceIsADiscOfRadiusFour() {
        let options = FROCOptions(smoothingSigma: 0, suppressionRadius: 0, scoreLevels: 0)
        var mask: [UInt8] = empty()
        mask[20 * size + 20] = 255
        func judge(_ x: Int, _ y: Int) -> ImageDetections {
            var map: [Float] = empty()
            map[y * size + x] = 0.5
            return ImageDetections(probability: map, mask: mask, width: size, height: size, options: options)
        }
        XCTAssertEqual(judge(24, 20).hitScores, [0.5], "4 px away: inside the dilation")
        XCTAssertEqual(judge(20, 25).falsePositiveScores, [0.5], "5 px away: outside")
        XCTAssertEqual(judge(23, 23).falsePositiveScores, [0.5], "4.24 px diagonally: outside the disc")
    }

    func testSpecksWithinTheClusterDistanceAreOneLesion() {
        var mask: [UInt8] = empty()
        mask[5 * size + 0] = 255; mask[5 * size + 10] = 255     // 10 px apart: one cluster
        mask[30 * size + 0] = 255; mask[30 * size + 11] = 255   // 11 px apart: two lesions
        let lesions = LesionMap(mask: mask, width: size, height: size, clusterDistance: 10)
        XCTAssertEqual(lesions.count, 3)
        XCTAssertEqual(lesions.labels[5 * size + 0], lesions.labels[5 * size + 10])
        XCTAssertNotEqual(lesions.labels[30 * size + 0], lesions.labels[30 * size + 11])
        XCTAssertEqual(LesionMap(mask: mask, width: size, height: size, clusterDistance: 0).count, 4)
    }

    func testNonMaximumSuppressionKeepsOnePeakPerRadius() {
        let options = FROCOptions(smoothingSigma: 0, scoreLevels: 0)
        var map: [Float] = empty()
        paint(&map, x: 10, y: 10, w: 3, h: 3, 0.5)   // a plateau: one candidate, at its centre
        map[10 * size + 40] = 0.6; map[10 * size + 48] = 0.4   // 8 apart: the lower is suppressed
        map[40 * size + 40] = 0.6; map[40 * size + 49] = 0.4   // 9 apart: both kept
        map[60 * size + 60] = 0.005                            // below 0.01: ignored
        let candidates = PeakCandidates.find(in: map, width: size, height: size, options: options)
        XCTAssertEqual(candidates.map { [$0.x, $0.y] }, [[40, 10], [40, 40], [11, 11], [49, 40]])
        XCTAssertEqual(candidates.map(\.score), [0.6, 0.6, 0.5, 0.4])
    }

    func testAFlatMapIsOnePeakNotAGrid() {
        let flat = [Float](repeating: 0.52, count: size * size)
        let candidates = PeakCandidates.find(in: flat, width: size, height: size, options: FROCOptions())
        XCTAssertEqual(candidates.count, 1)
        XCTAssertEqual(candidates.first.map { [$0.x, $0.y] }, [31, 31])
    }

    func testScoresAreRoundedAsA16BitPNGStoresThem() {
        let map: [Float] = [0.123456789, 1.5, -0.2, 0.5]
        let stored = try! Heatmap.probabilityImage(probability: map, width: 2, height: 2).normalized()
        XCTAssertEqual(PeakCandidates.quantized(map, levels: 65535), stored)
    }

    func testFiltersMatchTheirDefinitions() {
        var generator = SystemRandomNumberGenerator()
        let w = 23, h = 17
        let map = (0..<(w * h)).map { _ in Float.random(in: 0...1, using: &generator) }
        let dilated = MaximumFilter.apply(map, width: w, height: h, radius: 3)
        for y in 0..<h { for x in 0..<w {
            var best = -Float.infinity
            for yy in max(0, y - 3)...min(h - 1, y + 3) { for xx in max(0, x - 3)...min(w - 1, x + 3) { best = max(best, map[yy * w + xx]) } }
            XCTAssertEqual(dilated[y * w + x], best)
        } }
        let flat = GaussianSmoothing.smooth([Float](repeating: 0.25, count: w * h), width: w, height: h, sigma: 1)
        XCTAssertEqual(flat, [Float](repeating: 0.25, count: w * h), accuracy: 1e-6)
        XCTAssertEqual(GaussianSmoothing.kernel(sigma: 1).count, 7)
        XCTAssertEqual(GaussianSmoothing.kernel(sigma: 1).reduce(0, +), 1, accuracy: 1e-6)
    }

    func testReportWritesNullBeyondTheCurveAndNamesTheReachedRates() throws {
        let samples = twoImages().enumerated().map { i, image in
            SegmentationSample(id: "image\(i)", width: size, height: size, probability: image.map, mask: image.mask)
        }
        let report = try SegmentationMetrics.evaluate(samples: samples)
        XCTAssertEqual(report.lesions.lesionCount, 3)
        XCTAssertEqual(report.lesions.sensitivityAtFalsePositives["0.125"]!!, 1.0 / 3, accuracy: 1e-12)
        XCTAssertEqual(report.lesions.sensitivityAtFalsePositives.count, 6)
        XCTAssertNil(report.lesions.sensitivityAtFalsePositives["4"]!)
        XCTAssertEqual(report.lesions.cpmRates, [0.125, 0.25, 0.5, 1])
        let json = String(decoding: try report.json(), as: UTF8.self)
        XCTAssertTrue(json.contains("\"4\" : null"), json)
        XCTAssertTrue(report.textTable().contains("FROC sensitivity @ 4 FP/image"))
        XCTAssertTrue(report.textTable().contains("n/a"))
        XCTAssertEqual(try JSONDecoder().decode(EvaluationReport.self, from: report.json()), report)
    }
}

private func XCTAssertEqual(_ a: [Float], _ b: [Float], accuracy: Float, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, "\(a) vs \(b)", file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, "\(a) vs \(b)", file: file, line: line) }
}
