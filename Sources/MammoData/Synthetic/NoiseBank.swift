import Engine
import Foundation
/// Power-law noise tiles made once per generator (seed and size), from which every phantom
/// takes its texture layers as random crops, flips and transposes: one FFT per tile instead
/// of several per image keeps phantom synthesis at tens of images per second per core.
/// The tiles are periodic (inverse FFTs), so a crop may wrap around their edges.
final class NoiseBank: Sendable {
    /// Tile side (a power of two ≥ the image side).
    let side: Int
    /// Unit-variance fields with power ∝ 1/f^β.
    let tiles: [[Float]]

    init(side: Int, count: Int, beta: Double, seed: UInt64) {
        var generator = SeededGenerator(seed: seed, keys: SeededGenerator.hash("noise-bank"), UInt64(side))
        var made: [[Float]] = []
        while made.count < count {
            let (a, b) = PowerLawNoise.fields(side: side, beta: beta, generator: &generator)
            made.append(a)
            if made.count < count { made.append(b) }
        }
        self.side = side
        tiles = made
    }

    /// A `width`×`height` field from tile `tile`, shifted by a random offset, randomly flipped
    /// and transposed: one of side²·8 distinct views of each tile.
    func crop(tile: Int, width: Int, height: Int, generator: inout SeededGenerator) -> [Float] {
        let source = tiles[tile % tiles.count]
        let mask = side - 1
        let ox = generator.int(below: side), oy = generator.int(below: side)
        let flipX = generator.chance(0.5), flipY = generator.chance(0.5), transpose = generator.chance(0.5)
        var out = [Float](repeating: 0, count: width * height)
        source.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<height {
                    let yy = flipY ? height - 1 - y : y
                    for x in 0..<width {
                        let xx = flipX ? width - 1 - x : x
                        let (u, v) = transpose ? (yy, xx) : (xx, yy)
                        dst[y * width + x] = src[((v + oy) & mask) * side + ((u + ox) & mask)]
                    }
                }
            }
        }
        return out
    }
}
