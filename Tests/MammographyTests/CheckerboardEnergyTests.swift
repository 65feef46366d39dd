import Foundation
import XCTest
@testable import Mammography

final class CheckerboardEnergyTests: XCTestCase {
    let width = 64, height = 64, border = 4

    /// A smooth map: a slow wave on a ramp (periods of 40 px and more).
    func smoothMap() -> [Float] {
        (0..<(width * height)).map { i in
            let x = Double(i % width), y = Double(i / width)
            return Float(0.5 + 0.2 * sin(2 * .pi * x / 50 + 0.3) * cos(2 * .pi * y / 40) + 0.1 * x / 64)
        }
    }

    /// A zero-mean pattern that repeats with period s in x and y.
    func periodicPattern(period s: Int) -> [Float] {
        let u: [Float] = s == 2 ? [1, -1] : [1, 0.5, -0.5, -1]
        let v: [Float] = s == 2 ? [1, -1] : [0.5, 1, -1, -0.5]
        return (0..<(width * height)).map { i in u[(i % width) % s] * v[(i / width) % s] }
    }

    /// mean(planted²) / var(y) over the pixels CEF keeps: the analytic CEF of a pattern
    /// that the smoothing removes completely.
    func expectedFraction(planted: [Float], total: [Float]) -> Double {
        var energy = 0.0, sum = 0.0, sumSquares = 0.0, n = 0.0
        for y in border..<(height - border) {
            for x in border..<(width - border) {
                let i = y * width + x
                energy += Double(planted[i]) * Double(planted[i])
                sum += Double(total[i]); sumSquares += Double(total[i]) * Double(total[i]); n += 1
            }
        }
        let mean = sum / n
        return (energy / n) / (sumSquares / n - mean * mean)
    }

    func testSmoothMapHasNoCheckerboardEnergy() throws {
        for s in [2, 4] {
            let cef = try CheckerboardEnergy.fraction(map: smoothMap(), width: width, height: height, period: s, border: border)
            XCTAssertLessThan(cef, 1e-3, "s = \(s)")
        }
    }

    func testAdditivePlantedPatternMatchesAnalyticValueAndGrowsWithAmplitude() throws {
        let base = smoothMap()
        for s in [2, 4] {
            var previous = 0.0
            for amplitude: Float in [0.005, 0.02, 0.05, 0.1] {
                let planted = periodicPattern(period: s).map { $0 * amplitude }
                let map = zip(base, planted).map { $0 + $1 }
                let cef = try CheckerboardEnergy.fraction(map: map, width: width, height: height, period: s, border: border)
                let expected = expectedFraction(planted: planted, total: map)
                XCTAssertEqual(cef, expected, accuracy: 0.03 * expected, "s = \(s), amplitude \(amplitude)")
                XCTAssertGreaterThan(cef, previous, "monotone in amplitude, s = \(s)")
                previous = cef
            }
        }
    }

    func testMultiplicativePatternIsCaughtByTheGainTerm() throws {
        // y = base · (1 + a·c): the stride pattern scales with the content, as a
        // transposed convolution's uneven overlap does.
        let base = smoothMap()
        for s in [2, 4] {
            let planted = zip(base, periodicPattern(period: s)).map { $0 * 0.05 * $1 }
            let map = zip(base, planted).map { $0 + $1 }
            let cef = try CheckerboardEnergy.fraction(map: map, width: width, height: height, period: s, border: border)
            let expected = expectedFraction(planted: planted, total: map)
            XCTAssertEqual(cef, expected, accuracy: 0.05 * expected, "s = \(s)")
        }
    }

    func testFeatureMapAverageSkipsConstantChannels() throws {
        let base = smoothMap()
        let checker = zip(base, periodicPattern(period: 2)).map { $0 + 0.05 * $1 }
        let single = try CheckerboardEnergy.fraction(map: checker, width: width, height: height, period: 2, border: border)
        let smooth = try CheckerboardEnergy.fraction(map: base, width: width, height: height, period: 2, border: border)
        let constant = [Float](repeating: 0.3, count: width * height)
        let stacked = try CheckerboardEnergy.fraction(featureMaps: checker + constant + base, channels: 3,
                                                      width: width, height: height, period: 2, border: border)
        XCTAssertEqual(stacked, (single + smooth) / 2, accuracy: 1e-9)
        XCTAssertEqual(try CheckerboardEnergy.fraction(map: constant, width: width, height: height, period: 2, border: border), 0)
    }

    func testBadSizesThrow() {
        XCTAssertThrowsError(try CheckerboardEnergy.fraction(map: [0, 1, 2], width: 2, height: 2, period: 2, border: 1))
        XCTAssertThrowsError(try CheckerboardEnergy.fraction(map: [0, 1, 2, 3], width: 2, height: 2, period: 0, border: 1))
        XCTAssertThrowsError(try CheckerboardEnergy.fraction(featureMaps: [0, 1, 2], channels: 2, width: 2, height: 2, period: 2, border: 0))
    }

    /// 1-D stride-2 transposed convolution with a 3-tap kernel, padding 1, output 2n:
    /// out[2i + k − 1] += w[k] · x[i].
    func transposedConvolution(_ x: [Float], _ w: [Float]) -> [Float] {
        var out = [Float](repeating: 0, count: 2 * x.count)
        for i in x.indices { for k in 0..<3 where (0..<out.count).contains(2 * i + k - 1) { out[2 * i + k - 1] += w[k] * x[i] } }
        return out
    }

    /// 1-D nearest-neighbour ×2 resize followed by a 3-tap convolution (edges replicated).
    func resizeConvolution(_ x: [Float], _ w: [Float]) -> [Float] {
        let up = x.flatMap { [$0, $0] }
        return up.indices.map { i in (0..<3).reduce(Float(0)) { $0 + w[$1] * up[min(max(i + $1 - 1, 0), up.count - 1)] } }
    }

    /// Applies a 1-D operation to every row, then every column, of a square map.
    func separable(_ map: [Float], side: Int, _ op: ([Float]) -> [Float]) -> (map: [Float], side: Int) {
        let rows = (0..<side).map { op(Array(map[$0 * side..<($0 + 1) * side])) }
        let wide = rows[0].count
        let columns = (0..<wide).map { x in op(rows.map { $0[x] }) }
        return ((0..<columns[0].count).flatMap { y in columns.map { $0[y] } }, wide)
    }

    func testStridedTransposedConvolutionLeavesEnergyButResizeConvolutionDoesNot() throws {
        // The design's claim on a smooth input: a stride-2 transposed convolution whose
        // kernel does not split evenly between the two phases prints a checkerboard;
        // nearest resize + convolution with the same kernel does not.
        let side = 32
        let input = (0..<(side * side)).map { i in
            Float(0.5 + 0.3 * sin(Double(i % side) / 5) * cos(Double(i / side) / 7))
        }
        let kernel: [Float] = [0.3, 1, 0.6]
        let transposed = separable(input, side: side) { transposedConvolution($0, kernel) }
        let resized = separable(input, side: side) { resizeConvolution($0, kernel) }
        let cefTransposed = try CheckerboardEnergy.fraction(map: transposed.map, width: transposed.side, height: transposed.side, period: 2, border: 4)
        let cefResized = try CheckerboardEnergy.fraction(map: resized.map, width: resized.side, height: resized.side, period: 2, border: 4)
        XCTAssertGreaterThan(cefTransposed, 0.01)
        XCTAssertLessThan(cefResized, 1e-3)
    }

    func testKernelIsBoxTimesBox() {
        XCTAssertEqual(CheckerboardEnergy.boxTimesBox(2), [0.25, 0.5, 0.25])
        XCTAssertEqual(CheckerboardEnergy.boxTimesBox(4).map { $0 * 16 }, [1, 2, 3, 4, 3, 2, 1])
    }
}
