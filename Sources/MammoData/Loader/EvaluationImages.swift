/// A whole dataset image for evaluation or prediction, as float arrays, optionally padded
/// at the right and bottom (with zeros, i.e. air) to a multiple of the network's stride.
public struct EvaluationImage: Sendable {
    public var entry: DatasetEntry
    /// Original size; the image occupies rows 0..<height, columns 0..<width of the padded grid.
    public var width: Int, height: Int
    public var paddedWidth: Int, paddedHeight: Int
    /// paddedHeight·paddedWidth intensities in [0, 1] (pixel / (2^bitDepth − 1)).
    public var image: [Float]
    /// paddedHeight·paddedWidth labels, 0/1 (0 in the padding).
    public var mask: [UInt8]
}

extension PreparedDataset {
    /// Loads one image and mask; `multiple` (e.g. 32) pads both sides up to a multiple of it.
    public func evaluationImage(_ entry: DatasetEntry, padToMultipleOf multiple: Int? = nil) throws -> EvaluationImage {
        let (image, mask) = try loadPair(entry)
        let m = max(1, multiple ?? 1)
        let paddedWidth = (image.width + m - 1) / m * m, paddedHeight = (image.height + m - 1) / m * m
        var values = [Float](repeating: 0, count: paddedWidth * paddedHeight)
        var labels = [UInt8](repeating: 0, count: paddedWidth * paddedHeight)
        let scale = 1 / Float(image.maxValue)
        for y in 0..<image.height {
            for x in 0..<image.width {
                values[y * paddedWidth + x] = Float(image.pixels[y * image.width + x]) * scale
                labels[y * paddedWidth + x] = mask.pixels[y * image.width + x] == 0 ? 0 : 1
            }
        }
        return EvaluationImage(entry: entry, width: image.width, height: image.height,
                               paddedWidth: paddedWidth, paddedHeight: paddedHeight, image: values, mask: labels)
    }

    /// All images of a split, in manifest order.
    public func evaluationImages(split: Split, padToMultipleOf multiple: Int? = nil) throws -> [EvaluationImage] {
        try entries(split: split).map { try evaluationImage($0, padToMultipleOf: multiple) }
    }
}
