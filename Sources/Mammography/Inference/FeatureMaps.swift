import Engine
import MammoData

/// One layer's output for one image: `[channels, height, width]`, row-major.
public struct FeatureMaps {
    public var values: [Float]
    public var channels: Int, width: Int, height: Int

    /// Runs `model` in inference mode on `image` (centre-cropped to `cropSize` when > 0,
    /// then padded to the architecture's multiple) and returns the output of `layer`.
    public static func capture(model: any SegmentationModel, backend: Backend, image: GrayImage, layer: String,
                               cropSize: Int = 0) throws -> FeatureMaps {
        let multiple = model.architecture.sizeDivisor
        var w = image.width, h = image.height, x0 = 0, y0 = 0
        if cropSize > 0 { w = min(cropSize, w); h = min(cropSize, h); x0 = (image.width - w) / 2; y0 = (image.height - h) / 2 }
        let pw = (w + multiple - 1) / multiple * multiple, ph = (h + multiple - 1) / multiple * multiple
        var input = [Float](repeating: 0, count: pw * ph)
        let scale = 1 / Float(image.maxValue)
        for y in 0..<h { for x in 0..<w { input[y * pw + x] = Float(image[x0 + x, y0 + y]) * scale } }
        let ctx = Context(backend: backend, training: false)
        ctx.captureNames = [layer]
        _ = try model(ctx.input(HostTensor(shape: [1, 1, ph, pw], scalars: input)), ctx)
        guard let tensor = ctx.captured[layer] else {
            throw TrainingError.configuration("no layer named '\(layer)' in \(model.architecture); see `mammoseg summary --arch \(model.architecture)`")
        }
        let host = try backend.download(tensor)
        guard host.shape.count == 4 else {
            throw TrainingError.configuration("layer '\(layer)' has no spatial feature maps (shape \(host.shape))")
        }
        return FeatureMaps(values: host.scalars, channels: host.shape[1], width: host.shape[3], height: host.shape[2])
    }
}
