import MammoData
import XCTest
@testable import Mammography

/// A prepared-grid map taken to the source grid as `predict` does (`mapBack`: bilinear, 0 outside
/// the source's breast) and back through the transform (`SourceGridMap`) is the map again: exactly
/// at scale 1 (mirror and crop only), within a few thousandths for a smooth map at 3.4×, and the
/// breast's edge is not darkened by the zeros outside it.
final class SourceGridMapTests: XCTestCase {
    /// A smooth map (a lesion-like bump on a gentle slope) over a `width`×`height` grid.
    private func smoothMap(width: Int, height: Int) -> [Float] {
        (0..<(width * height)).map { i in
            let x = Double(i % width), y = Double(i / width)
            let bump = exp(-(pow(x - 0.4 * Double(width), 2) + pow(y - 0.5 * Double(height), 2)) / (2 * 36))
            return Float(0.1 + 0.2 * x / Double(width) + 0.6 * bump)
        }
    }

    func testRoundTripThroughTheSourceGrid() throws {
        for (scale, tolerance) in [(1.0, Float(1e-6)), (193.0 / 56.0, Float(4e-3))] {
            let (pw, ph) = (56, 96)
            let crop = PixelBox(x: 9, y: 14, width: Int((Double(pw) * scale).rounded()), height: Int((Double(ph) * scale).rounded()))
            let transform = PreprocessingTransform(sourceWidth: crop.width + 30, sourceHeight: crop.height + 20, flipped: true,
                                                   crop: crop, preparedWidth: pw, preparedHeight: ph)
            let p = smoothMap(width: pw, height: ph)
            // Zero outside a source "breast" that leaves out two source rows at the crop's top and bottom
            // (at scale 1 none: a prepared pixel is one source pixel), as predict does.
            let margin = scale > 1 ? 2 : 0
            var breast = BinaryMask(width: transform.sourceWidth, height: transform.sourceHeight)
            for y in 0..<breast.height { for x in 0..<breast.width where y >= crop.y + margin && y < crop.y + crop.height - margin {
                breast[x, y] = true
            } }
            let source = transform.mapBack(p, sourceBreastMask: breast)
            let back = SourceGridMap.prepared(source, transform: transform)
            XCTAssertEqual(back.count, p.count)
            var worst: Float = 0
            for y in 1..<(ph - 1) { for x in 0..<pw { worst = max(worst, abs(back[y * pw + x] - p[y * pw + x])) } }
            XCTAssertLessThanOrEqual(worst, tolerance, "scale \(scale)")
            // The top row straddles the breast's edge: the zeros outside it get no weight.
            for x in 0..<pw { XCTAssertEqual(back[x], p[x], accuracy: max(tolerance, 0.02), "edge, scale \(scale)") }
        }
    }
}
