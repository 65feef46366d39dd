import XCTest
@testable import Mammography

final class TiledPredictorTests: XCTestCase {
    /// Deterministic test image in [0, 1].
    func image(width: Int, height: Int) -> [Float] {
        (0..<(width * height)).map { i in Float((i * 7919) % 1000) / 1000 }
    }

    /// 3x3 mean with zeros outside the map: a known local function.
    func boxMean(_ map: [Float], width: Int, height: Int) -> [Float] {
        var out = [Float](repeating: 0, count: map.count)
        for y in 0..<height {
            for x in 0..<width {
                var sum: Float = 0
                for dy in -1...1 {
                    for dx in -1...1 where (0..<width).contains(x + dx) && (0..<height).contains(y + dy) {
                        sum += map[(y + dy) * width + x + dx]
                    }
                }
                out[y * width + x] = sum / 9
            }
        }
        return out
    }

    /// The model: the box mean applied to each tile on its own.
    func boxMeanModel(_ batch: TiledPredictor.TileBatch) -> [Float] {
        let area = batch.size * batch.size
        return (0..<batch.count).flatMap { t in
            boxMean(Array(batch.pixels[t * area..<(t + 1) * area]), width: batch.size, height: batch.size)
        }
    }

    func testLocalModelMatchesWholeImageAwayFromTileEdges() throws {
        let width = 50, height = 37
        let input = image(width: width, height: height)
        let predictor = TiledPredictor(tileSize: 16, overlap: 0.25, batchSize: 3)
        var largestBatch = 0
        let tiled = try predictor.predict(image: input, width: width, height: height) { batch in
            largestBatch = max(largestBatch, batch.count)
            return boxMeanModel(batch)
        }
        XCTAssertEqual(largestBatch, 3, "tiles go to the model in batches of at most batchSize")
        let whole = boxMean(input, width: width, height: height)
        // Lines where some tile ends inside the image: there the tile saw zeros instead of neighbours.
        func interiorEdges(_ length: Int) -> Set<Int> {
            Set(predictor.origins(length: length).flatMap { o in [o, o + 15] }.filter { $0 > 0 && $0 < length - 1 })
        }
        let edgeColumns = interiorEdges(width), edgeRows = interiorEdges(height)
        XCTAssertFalse(edgeColumns.isEmpty)
        var compared = 0
        for y in 0..<height where !edgeRows.contains(y) {
            for x in 0..<width where !edgeColumns.contains(x) {
                XCTAssertEqual(tiled[y * width + x], whole[y * width + x], accuracy: 1e-5, "(\(x), \(y))")
                compared += 1
            }
        }
        XCTAssertGreaterThan(compared, width * height / 2)
        // At a tile edge the blend does differ, which is what the exclusion above is for.
        let x = edgeColumns.sorted()[0], y = 20
        XCTAssertNotEqual(tiled[y * width + x], whole[y * width + x], accuracy: 1e-5)
    }

    func testPositionIndependentModelIsReproducedExactly() throws {
        let width = 45, height = 30
        let input = image(width: width, height: height)
        for flip in [false, true] {
            let predictor = TiledPredictor(tileSize: 16, overlap: 0.25, batchSize: 2, flipAugmentation: flip)
            let tiled = try predictor.predict(image: input, width: width, height: height) { batch in
                batch.pixels.map { $0 * $0 }
            }
            for i in input.indices { XCTAssertEqual(tiled[i], input[i] * input[i], accuracy: 1e-6) }
        }
    }

    func testSmallImageIsZeroPaddedAndCropped() throws {
        let width = 10, height = 7
        let input = image(width: width, height: height)
        let predictor = TiledPredictor(tileSize: 16)
        var tiles = 0
        let tiled = try predictor.predict(image: input, width: width, height: height) { batch in
            tiles += batch.count
            XCTAssertEqual(batch.size, 16)
            return boxMeanModel(batch)
        }
        XCTAssertEqual(tiles, 1)
        let whole = boxMean(input, width: width, height: height)
        for i in input.indices { XCTAssertEqual(tiled[i], whole[i], accuracy: 1e-6) }
    }

    func testFlipAugmentationAveragesTheUnflippedMirrorPrediction() throws {
        // Model: each pixel takes its right neighbour. Its mirror image takes the left
        // neighbour, so with flipping the result is the mean of both neighbours.
        let width = 12, height = 4
        let input = image(width: width, height: height)
        let predictor = TiledPredictor(tileSize: 12, flipAugmentation: true)
        let tiled = try predictor.predict(image: input, width: width, height: height) { batch in
            var out = batch.pixels
            for row in 0..<(batch.count * batch.size) {
                for x in 0..<(batch.size - 1) { out[row * batch.size + x] = batch.pixels[row * batch.size + x + 1] }
            }
            return out
        }
        for y in 0..<height {
            for x in 1..<(width - 1) {
                XCTAssertEqual(tiled[y * width + x], (input[y * width + x - 1] + input[y * width + x + 1]) / 2, accuracy: 1e-6)
            }
        }
    }

    func testTileOriginsCoverTheImage() {
        let predictor = TiledPredictor(tileSize: 16, overlap: 0.25)
        XCTAssertEqual(predictor.stride, 12)
        XCTAssertEqual(predictor.origins(length: 50), [0, 12, 24, 34])
        XCTAssertEqual(predictor.origins(length: 16), [0])
        XCTAssertEqual(predictor.origins(length: 5), [0])
    }

    func testBadInputThrows() {
        let predictor = TiledPredictor(tileSize: 8)
        XCTAssertThrowsError(try predictor.predict(image: [0, 1], width: 3, height: 3) { $0.pixels })
        XCTAssertThrowsError(try predictor.predict(image: [Float](repeating: 0, count: 9), width: 3, height: 3) { _ in [1] })
        XCTAssertThrowsError(try TiledPredictor(tileSize: 8, overlap: 1).predict(image: [0], width: 1, height: 1) { $0.pixels })
    }
}
