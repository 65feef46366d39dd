import DNNLBackend
import Engine
import Foundation
import MammoData
@testable import Mammography
import XCTest

/// A real network's tiled prediction against its whole-image prediction on an image small
/// enough to run whole (640×480, tiles of 128 with 25 % overlap).
///
/// They cannot agree exactly: the dilated network's receptive field is wider than a tile, so
/// a tile sees less context (and zero padding where the whole image has tissue). What must
/// hold is that the blended map is close to the whole map on average, and that the tile
/// borders leave no seams: the jump between neighbouring pixels across a tile border is no
/// larger than between neighbouring pixels elsewhere.
final class TiledPredictionSeamTests: XCTestCase {
    let width = 640, height = 480, tile = 128

    /// The whole-image map, the blended tiled map, and tiles without overlap or blending
    /// (each tile's map pasted as is: the seams the blending exists to remove).
    func maps() throws -> (whole: [Float], blended: [Float], pasted: [Float]) {
        let phantom = SyntheticMammogramGenerator(size: width, normalFraction: 0, seed: 3).make(index: 1)
        let image = Array(phantom.image.normalized()[0..<(width * height)])  // the top 480 rows
        let model = try makeModel(.dilatedResize, width: 0.125, seed: 3)
        let predictor = Predictor(model: model, backend: try DNNLBackend(threads: 2), tileSize: tile)
        predictor.maxWholePixels = width * height
        try makeContrasty(model, predictor: predictor, image: image)
        let whole = try predictor.probability(image: image, width: width, height: height)
        predictor.maxWholePixels = 0
        let blended = try predictor.probability(image: image, width: width, height: height)
        let pasted = try TiledPredictor(tileSize: tile, overlap: 0, windowFloor: 1)
            .predict(image: image, width: width, height: height) { tiles in
                try predictor.probabilities(pixels: tiles.pixels, count: tiles.count, width: tiles.size, height: tiles.size)
            }
        return (whole, blended, pasted)
    }

    /// An untrained network's map is nearly flat (p ≈ 0.69 ± 0.002), which would hide any seam.
    /// Rescale its last 1×1 convolution so the logit of class 1 has mean 0 and standard
    /// deviation 2 over this image: the same network function up to an affine map of the
    /// logit, now with a map that uses the whole [0, 1] range.
    func makeContrasty(_ model: any SegmentationModel, predictor: Predictor, image: [Float]) throws {
        let weight = try XCTUnwrap(model.parameters.first { $0.name == "logits.weight" })
        let bias = try XCTUnwrap(model.parameters.first { $0.name == "logits.bias" })
        bias.value = HostTensor(zeros: [2])
        let p = try predictor.probability(image: image, width: width, height: height)
        let logit = p.map { Double(log($0 / (1 - $0))) }
        let mean = logit.reduce(0, +) / Double(logit.count)
        let sd = (logit.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(logit.count)).squareRoot()
        let k = Float(2 / sd)
        weight.value.scalars = weight.value.scalars.map { $0 * k }
        bias.value = HostTensor(shape: [2], scalars: [0, -k * Float(mean)])
    }

    /// Mean |d(p+1) − d(p)| of the difference map d = tiled − whole between neighbours that
    /// straddle a tile border, and between all other neighbours. The whole map has no seams, so
    /// a seam in the tiled map is a step in d; the map's own fine texture cancels out.
    func seamJumps(_ tiled: [Float], _ whole: [Float], tiler: TiledPredictor) -> (border: Float, elsewhere: Float) {
        let d = zip(tiled, whole).map { $0 - $1 }
        // Positions p where p | p+1 straddles a tile border (a tile starts at p+1 or ends at p).
        func borders(_ length: Int) -> Set<Int> {
            var positions = Set<Int>()
            for origin in tiler.origins(length: length) {
                for p in [origin - 1, origin + tile - 1] where p >= 0 && p + 1 < length { positions.insert(p) }
            }
            return positions
        }
        let borderColumns = borders(width), borderRows = borders(height)
        var border: Float = 0, borderCount = 0, elsewhere: Float = 0, elsewhereCount = 0
        func add(_ jump: Float, atBorder: Bool) {
            if atBorder { border += jump; borderCount += 1 } else { elsewhere += jump; elsewhereCount += 1 }
        }
        for y in 0..<height { for x in 0..<(width - 1) {
            add(abs(d[y * width + x + 1] - d[y * width + x]), atBorder: borderColumns.contains(x))
        } }
        for y in 0..<(height - 1) { for x in 0..<width {
            add(abs(d[(y + 1) * width + x] - d[y * width + x]), atBorder: borderRows.contains(y))
        } }
        return (border / Float(borderCount), elsewhere / Float(elsewhereCount))
    }

    func testTiledMapAgreesWithWholeMapWithoutSeams() throws {
        let (whole, blended, pasted) = try maps()
        let wholeMean = whole.reduce(0, +) / Float(whole.count)
        let wholeSpread = (whole.map { ($0 - wholeMean) * ($0 - wholeMean) }.reduce(0, +) / Float(whole.count)).squareRoot()
        XCTAssertGreaterThan(wholeSpread, 0.2, "the map uses the probability range, so seams could show")

        let meanAbsDifference = zip(blended, whole).map { abs($0 - $1) }.reduce(0, +) / Float(whole.count)
        let blendedJumps = seamJumps(blended, whole, tiler: TiledPredictor(tileSize: tile))
        let pastedJumps = seamJumps(pasted, whole, tiler: TiledPredictor(tileSize: tile, overlap: 0))
        // Tolerance: 1 % of the probability range on average (measured: 0.0007). Exact agreement
        // is impossible, as a 128-pixel tile sees less than the network's receptive field.
        XCTAssertLessThan(meanAbsDifference, 0.01)
        // No seams: the step across tile borders is no larger than elsewhere (measured: 0.59×;
        // a window floor of 0.05 gave 7×) ...
        XCTAssertLessThan(blendedJumps.border, 1.5 * blendedJumps.elsewhere)
        // ... while the same measure does see the seams of pasted tiles (measured: 24×).
        XCTAssertGreaterThan(pastedJumps.border, 5 * pastedJumps.elsewhere)
        print("tiled vs whole: mean |Δp| \(meanAbsDifference) (map sd \(wholeSpread)); step of Δp across tile borders "
              + "\(blendedJumps.border) vs \(blendedJumps.elsewhere) elsewhere; pasted tiles \(pastedJumps.border) vs \(pastedJumps.elsewhere)")
    }
}
