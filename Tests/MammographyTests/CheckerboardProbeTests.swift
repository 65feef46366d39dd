import DNNLBackend
import Engine
import Foundation
@testable import Mammography
import XCTest

/// The checkerboard probe and the measurements built on `CheckerboardEnergy`.
final class CheckerboardProbeTests: XCTestCase {
    func testUpsamplingLayersAreTheUpAndTconvStages() throws {
        XCTAssertEqual(try makeModel(.dilatedResize, width: 0.0625).upsamplingLayers,
                       ["up1", "up2", "up3", "up4", "up5", "tconv1", "tconv2"])
        XCTAssertEqual(try makeModel(.dilatedTransposeFirst, width: 0.0625).upsamplingLayers,
                       ["up1", "up2", "up3", "up4", "up5", "tconv1", "tconv2"])
        XCTAssertEqual(try makeModel(.fcnHybrid, width: 0.0625).upsamplingLayers,
                       ["up1", "up2", "up3", "up4", "up5", "up6", "up7"])
        XCTAssertFalse(DilatedResize.isUpsamplingName("up1_resize"))
        XCTAssertFalse(DilatedResize.isUpsamplingName("up"))
    }

    func testTransposeFirstUpsamplingScoresAboveResizeOnTheProbe() throws {
        // The study's claim where the two dilated nets differ: their first upsampling layer
        // (up1, S/16) is resize + conv in one and a stride-2 transposed conv in the other.
        // Size 160 makes up1 10×10, the smallest map with a CEF_2.
        let backend = try DNNLBackend(threads: 1)
        for seed: UInt64 in [0, 1, 2] {
            let resize = try CheckerboardProbe.run(model: makeModel(.dilatedResize, width: 0.0625, seed: seed),
                                                   backend: backend, size: 160, seed: seed)
            let transpose = try CheckerboardProbe.run(model: makeModel(.dilatedTransposeFirst, width: 0.0625, seed: seed),
                                                      backend: backend, size: 160, seed: seed)
            XCTAssertEqual(resize.map(\.input), [.constant, .texture])
            for (r, t) in zip(resize, transpose) {
                XCTAssertEqual(r.measurement.firstScoredLayer?.name, "up1")
                let cefResize = try XCTUnwrap(r.measurement.firstScoredLayer?.scores.cef2)
                let cefTranspose = try XCTUnwrap(t.measurement.firstScoredLayer?.scores.cef2)
                XCTAssertGreaterThan(cefTranspose, 3 * cefResize, "seed \(seed), \(r.input)")
                XCTAssertLessThan(cefResize, 0.1, "seed \(seed), \(r.input)")
            }
        }
    }

    func testTransposeFirstProbabilityMapScoresAboveResizeForSeedZero() throws {
        // The probability map also passes through tconv1 (stride 2), which both dilated nets
        // share, so its score depends on the initial weights: with seed 0 the resize net's
        // map is clean and the transpose-first one is not (seeds 1 and 2 reverse the order;
        // docs/results.md lists seeds 0-5). This pins the documented seed-0 numbers.
        let backend = try DNNLBackend(threads: 1)
        let resize = try CheckerboardProbe.run(model: makeModel(.dilatedResize, width: 0.0625, seed: 0),
                                               backend: backend, size: 64, seed: 0)
        let transpose = try CheckerboardProbe.run(model: makeModel(.dilatedTransposeFirst, width: 0.0625, seed: 0),
                                                  backend: backend, size: 64, seed: 0)
        for (r, t) in zip(resize, transpose) {
            let cefResize = try XCTUnwrap(r.measurement.probability.cef2)
            let cefTranspose = try XCTUnwrap(t.measurement.probability.cef2)
            XCTAssertGreaterThan(cefTranspose, 3 * cefResize, "\(r.input)")
        }
    }

    func testMeasuringWithBatchStatisticsLeavesTheModelUnchanged() throws {
        let model = try makeModel(.dilatedTransposeFirst, width: 0.0625, seed: 2)
        let before = model.parameters.map(\.value.scalars)
        let image = CheckerboardProbe.image(.texture, size: 64, seed: 2)
        _ = try CheckerboardMeasurement.measure(model: model, backend: DNNLBackend(threads: 1), image: image,
                                                width: 64, height: 64, batchStatistics: true)
        XCTAssertEqual(model.parameters.map(\.value.scalars), before)
    }

    func testProbeImages() {
        let constant = CheckerboardProbe.image(.constant, size: 40, seed: 0)
        XCTAssertEqual(Set(constant), [0.5])
        let texture = CheckerboardProbe.image(.texture, size: 40, seed: 5)
        XCTAssertEqual(texture.count, 1600)
        XCTAssertEqual(texture, CheckerboardProbe.image(.texture, size: 40, seed: 5))
        XCTAssertNotEqual(texture, CheckerboardProbe.image(.texture, size: 40, seed: 6))
        XCTAssertTrue(texture.allSatisfy { (0...1).contains($0) })
        let mean = texture.reduce(0, +) / Float(texture.count)
        XCTAssertEqual(mean, 0.5, accuracy: 0.15)
        // Power-law texture holds no period-2 pattern of its own.
        XCTAssertLessThan(try CheckerboardEnergy.fraction(map: texture, width: 40, height: 40, period: 2, border: 2), 0.02)
    }

    func testScoresAreUndefinedOnMapsTooSmallForThreePeriods() throws {
        // 10×10: border 2 leaves 6 pixels = 3 periods of 2; period 4 needs border 3 and 12 pixels.
        let checker = (0..<100).map { i in Float((i % 10 + i / 10) % 2) }
        let scores = try CheckerboardScores.of(maps: checker, channels: 1, width: 10, height: 10)
        XCTAssertEqual(try XCTUnwrap(scores.cef2), 1, accuracy: 1e-6)
        XCTAssertNil(scores.cef4)
        let mean = CheckerboardScores.mean([scores, CheckerboardScores(cef2: 0, cef4: 0.5)])
        XCTAssertEqual(try XCTUnwrap(mean.cef2), 0.5, accuracy: 1e-12)
        XCTAssertEqual(mean.cef4, 0.5)
    }

    func testPearsonCorrelation() {
        let x: [Float] = [0, 1, 2, 3, 4]
        XCTAssertEqual(IntensityCorrelation.pearson(x, x.map { 2 * $0 + 1 })!, 1, accuracy: 1e-9)
        XCTAssertEqual(IntensityCorrelation.pearson(x, x.map { -$0 })!, -1, accuracy: 1e-9)
        XCTAssertNil(IntensityCorrelation.pearson(x, [Float](repeating: 0.2, count: 5)))
        // Only included pixels count: the outlier at index 4 is left out.
        let y: [Float] = [0, 1, 2, 3, -100]
        XCTAssertEqual(IntensityCorrelation.pearson(x, y, include: [true, true, true, true, false])!, 1, accuracy: 1e-9)
        XCTAssertLessThan(IntensityCorrelation.pearson(x, y)!, 0)
    }

    func testMeanCorrelationUsesNormalImagesOnly() {
        let image: [Float] = [0.1, 0.5, 0.9, 0.3]
        let follows = SegmentationSample(id: "n1", width: 2, height: 2, probability: image, mask: [0, 0, 0, 0])
        let opposes = SegmentationSample(id: "n2", width: 2, height: 2, probability: image.map { 1 - $0 }, mask: [0, 0, 0, 0])
        let positive = SegmentationSample(id: "p", width: 2, height: 2, probability: image, mask: [0, 255, 0, 0])
        XCTAssertEqual(IntensityCorrelation.meanOverNormalImages(samples: [follows, positive], images: [image, image])!,
                       1, accuracy: 1e-9)
        XCTAssertEqual(IntensityCorrelation.meanOverNormalImages(samples: [follows, opposes], images: [image, image])!,
                       0, accuracy: 1e-9)
        XCTAssertNil(IntensityCorrelation.meanOverNormalImages(samples: [positive], images: [image]))
    }

    func testFeatureGridEnlargesSmallMaps() throws {
        let maps = FeatureMaps(values: (0..<(3 * 8 * 8)).map { Float($0 % 2) }, channels: 3, width: 8, height: 8)
        let grid = try ComparisonFigures.featureGrid(maps, maxChannels: 2, minimumSide: 32)
        // Two panels of 32×32 side by side (2 columns), padding 2, one title row.
        XCTAssertGreaterThanOrEqual(grid.width, 2 * 32)
        XCTAssertLessThan(grid.width, 3 * 32)
        XCTAssertGreaterThanOrEqual(grid.height, 32)
    }
}
