import Engine
import Foundation
import MammoData

/// Runs a segmentation network in inference mode and returns softmax probability maps.
///
/// Inputs are zero-padded on the right and bottom to a multiple of the architecture's
/// stride (`sizeDivisor`). An image is run whole when it has at most `maxWholePixels`
/// pixels — at its own size, not as a square tile of its longer side, which for a
/// mammogram's 0.55 aspect ran the network on nearly twice the pixels — otherwise as
/// overlapping, blended tiles of `tileSize` (`TiledPredictor`) so memory stays bounded
/// whatever the mammogram's size.
public final class Predictor {
    public let model: any SegmentationModel
    public let backend: Backend
    public let tileSize: Int
    public var maxWholePixels = 1024 * 1024
    public var testTimeFlips = false
    public var tileBatchSize = 4
    /// One network run at a time: callers may prepare and map back several images at once.
    private let running = NSLock()

    public init(model: any SegmentationModel, backend: Backend, tileSize: Int) {
        self.model = model; self.backend = backend; self.tileSize = tileSize
    }

    /// The `maxWholePixels` of `predict` and of evaluation alike, so that a checkpoint's maps in
    /// `evaluate` are the maps `predict` writes (whole and tiled runs differ at tile borders).
    public static func wholeImageLimit(tileSize: Int) -> Int { 4 * tileSize * tileSize }

    /// P(abnormal) per pixel for `count` images of `height`×`width` stored back to back in
    /// `pixels` (intensities in [0, 1]); returns `count·height·width` values.
    public func probabilities(pixels: [Float], count: Int, width: Int, height: Int) throws -> [Float] {
        let multiple = model.architecture.sizeDivisor
        let paddedW = (width + multiple - 1) / multiple * multiple
        let paddedH = (height + multiple - 1) / multiple * multiple
        var input = [Float](repeating: 0, count: count * paddedW * paddedH)
        for n in 0..<count {
            for y in 0..<height {
                let src = (n * height + y) * width, dst = n * paddedW * paddedH + y * paddedW
                for x in 0..<width { input[dst + x] = pixels[src + x] }
            }
        }
        running.lock(); defer { running.unlock() }
        let ctx = Context(backend: backend, training: false)
        let p = try backend.download(model.probabilities(ctx.input(HostTensor(shape: [count, 1, paddedH, paddedW],
                                                                              scalars: input)), ctx))
        let plane = paddedW * paddedH
        var out = [Float](repeating: 0, count: count * width * height)
        for n in 0..<count {
            let base = (n * 2 + 1) * plane
            for y in 0..<height { for x in 0..<width {
                out[(n * height + y) * width + x] = p.scalars[base + y * paddedW + x]
            } }
        }
        return out
    }

    /// P(abnormal) per pixel of one image of any size, `[height·width]`.
    public func probability(image: [Float], width: Int, height: Int) throws -> [Float] {
        try checkPixelCount(image.count, width: width, height: height, "prediction: image")
        if width * height <= maxWholePixels {
            // The whole image in one pass: no seams, no blending; with flips, the mirrored copy
            // runs in the same batch and is averaged back un-mirrored.
            guard testTimeFlips else { return try probabilities(pixels: image, count: 1, width: width, height: height) }
            var both = image
            both.reserveCapacity(2 * image.count)
            for y in 0..<height { both += image[(y * width)..<((y + 1) * width)].reversed() }
            let p = try probabilities(pixels: both, count: 2, width: width, height: height)
            var out = [Float](repeating: 0, count: image.count)
            for y in 0..<height {
                let row = y * width, mirrored = image.count + row + width - 1
                for x in 0..<width { out[row + x] = (p[row + x] + p[mirrored - x]) / 2 }
            }
            return out
        }
        let tiler = TiledPredictor(tileSize: tileSize, batchSize: tileBatchSize, flipAugmentation: testTimeFlips)
        return try tiler.predict(image: image, width: width, height: height) { tiles in
            try self.probabilities(pixels: tiles.pixels, count: tiles.count, width: tiles.size, height: tiles.size)
        }
    }
}
