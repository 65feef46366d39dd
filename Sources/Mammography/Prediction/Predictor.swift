import Engine
import MammoData

/// Runs a segmentation network in inference mode and returns softmax probability maps.
///
/// Inputs are zero-padded on the right and bottom to a multiple of the architecture's
/// stride (`sizeDivisor`). An image is run whole when it has at most `maxWholePixels`
/// pixels, otherwise as overlapping, blended tiles of `tileSize` (`TiledPredictor`) so
/// memory stays bounded whatever the mammogram's size.
public final class Predictor {
    public let model: any SegmentationModel
    public let backend: Backend
    public let tileSize: Int
    public var maxWholePixels = 1024 * 1024
    public var testTimeFlips = false
    public var tileBatchSize = 4

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
        var tiler = TiledPredictor(tileSize: width * height <= maxWholePixels ? max(width, height) : tileSize,
                                   batchSize: tileBatchSize, flipAugmentation: testTimeFlips)
        if width * height <= maxWholePixels {
            // One tile covering the whole image: no seams, no blending.
            tiler.overlap = 0
        }
        return try tiler.predict(image: image, width: width, height: height) { tiles in
            try self.probabilities(pixels: tiles.pixels, count: tiles.count, width: tiles.size, height: tiles.size)
        }
    }
}
