import Foundation

/// Sliding-window inference over an image larger than the network's input.
///
/// Tiles of `tileSize × tileSize` overlap by `overlap` (a fraction of the tile); the last
/// tile of a row or column is moved back to end at the image edge, so every tile lies
/// inside the image. An image smaller than a tile along an axis is zero-padded at the
/// right/bottom to the tile size (zero is the black background of a mammogram, so the
/// padding looks like air, not like mirrored tissue); the padding is cropped away again.
///
/// Each tile's probabilities are blended with a separable weight window
/// w(i) = floor + (1 − floor)·sin²(π(i + ½)/T) (a Hann window lifted by `windowFloor`):
/// pixels near a tile's edge — where the network sees the least context — count less
/// than the middle of the neighbouring tile, so seams do not show, and the floor keeps
/// every pixel's weight positive even at the image edge. The output is
/// Σ w·p / Σ w per pixel. The floor must stay small: where a tile starts, its edge pixels
/// (the least context, the most zero padding) enter the blend with weight ≈ floor, so a
/// floor of 0.05 left a step 7× the usual neighbour difference along tile borders; 0.001
/// leaves none (TiledPredictionSeamTests) and still weighs image corners by 10⁻⁶ > 0.
///
/// Memory is bounded: tiles are cut and sent in batches of `batchSize`; only the output
/// and weight-sum arrays (one value per image pixel each) live for the whole image.
public struct TiledPredictor: Sendable {
    /// A batch of tiles handed to the model: `[count, 1, size, size]`, row-major.
    public struct TileBatch: Sendable {
        public var pixels: [Float]
        public var count: Int
        public var size: Int
    }

    public var tileSize: Int
    /// Overlap between neighbouring tiles as a fraction of `tileSize`, in [0, 1).
    public var overlap: Double
    public var batchSize: Int
    /// Also predict the left–right mirrored tile and average it (un-mirrored) with the plain one.
    public var flipAugmentation: Bool
    /// Lowest blending weight, at a tile's outer pixels (0 < floor ≤ 1).
    public var windowFloor: Float

    public init(tileSize: Int, overlap: Double = 0.25, batchSize: Int = 4,
                flipAugmentation: Bool = false, windowFloor: Float = 0.001) {
        self.tileSize = tileSize; self.overlap = overlap; self.batchSize = batchSize
        self.flipAugmentation = flipAugmentation; self.windowFloor = windowFloor
    }

    /// Distance between neighbouring tile origins: tile − round(overlap · tile), at least 1.
    public var stride: Int { max(1, tileSize - Int((overlap * Double(tileSize)).rounded())) }

    /// Origins of the tiles along an axis of `length` pixels: 0, stride, 2·stride, … and
    /// a last one at `length − tileSize` so the final tile ends at the edge.
    public func origins(length: Int) -> [Int] {
        guard length > tileSize else { return [0] }
        var origins = Array(Swift.stride(from: 0, to: length - tileSize, by: stride))
        origins.append(length - tileSize)
        return origins
    }

    /// The blending weight along one tile axis (see the type's documentation).
    public func window() -> [Float] {
        (0..<tileSize).map { i in
            let s = sin(Float.pi * (Float(i) + 0.5) / Float(tileSize))
            return windowFloor + (1 - windowFloor) * s * s
        }
    }

    /// The probability map of `image` (`[height, width]`, row-major), one value per pixel.
    /// `model` gets a batch of tiles and returns `count · size · size` probabilities.
    /// Throws `EvaluationError` on bad settings or sizes, and whatever `model` throws.
    public func predict(image: [Float], width: Int, height: Int,
                        model: (TileBatch) throws -> [Float]) throws -> [Float] {
        try checkPixelCount(image.count, width: width, height: height, "tiled prediction: image")
        guard tileSize > 0, batchSize > 0, overlap >= 0, overlap < 1, windowFloor > 0, windowFloor <= 1 else {
            throw EvaluationError("tiled prediction: tile \(tileSize), batch \(batchSize), overlap \(overlap), floor \(windowFloor) out of range; use a positive tile and batch, overlap in [0, 1), floor in (0, 1]")
        }
        let tile = tileSize, area = tile * tile
        let window = self.window()
        var sum = [Float](repeating: 0, count: width * height)
        var weight = [Float](repeating: 0, count: width * height)
        let origins = self.origins(length: height).flatMap { y in self.origins(length: width).map { x in (x, y) } }

        // Copies per tile: the tile, and its mirror image when flipping.
        let copies = flipAugmentation ? 2 : 1
        var start = 0
        while start < origins.count {
            let group = origins[start..<min(start + batchSize, origins.count)]
            var pixels = [Float](repeating: 0, count: group.count * copies * area)
            for (t, (x0, y0)) in group.enumerated() {
                for y in 0..<min(tile, height - y0) {
                    for x in 0..<min(tile, width - x0) {
                        let value = image[(y0 + y) * width + x0 + x]
                        pixels[(t * copies) * area + y * tile + x] = value
                        if copies == 2 { pixels[(t * copies + 1) * area + y * tile + (tile - 1 - x)] = value }
                    }
                }
            }
            let batch = TileBatch(pixels: pixels, count: group.count * copies, size: tile)
            let output = try model(batch)
            guard output.count == batch.count * area else {
                throw EvaluationError("tiled prediction: the model returned \(output.count) values for \(batch.count) tiles of \(tile)x\(tile); it must return one probability per pixel")
            }
            for (t, (x0, y0)) in group.enumerated() {
                for y in 0..<min(tile, height - y0) {
                    for x in 0..<min(tile, width - x0) {
                        var p = output[(t * copies) * area + y * tile + x]
                        if copies == 2 { p = (p + output[(t * copies + 1) * area + y * tile + (tile - 1 - x)]) / 2 }
                        let w = window[y] * window[x]
                        let i = (y0 + y) * width + x0 + x
                        sum[i] += w * p
                        weight[i] += w
                    }
                }
            }
            start += group.count
        }
        for i in sum.indices { sum[i] /= weight[i] }
        return sum
    }
}
