/// An image and its mask decoded once and kept in the form the crop sampler reads.
struct DecodedSample: Sendable {
    let width: Int, height: Int
    let pixels: [UInt16]
    /// 1 / (2^bitDepth − 1): multiplies a pixel into [0, 1].
    let intensityScale: Float
    /// 0/1 per pixel.
    let mask: [UInt8]
    /// Indices of up to `maxLesionPixels` abnormal pixels (evenly subsampled) for lesion-centred crops.
    let lesionPixels: [Int]

    static let maxLesionPixels = 4096

    init(image: GrayImage, mask: GrayImage) {
        width = image.width; height = image.height
        pixels = image.pixels
        intensityScale = 1 / Float(image.maxValue)
        self.mask = mask.pixels.map { $0 == 0 ? 0 : 1 }
        // The j-th kept pixel is abnormal pixel number ⌊j·step⌋, picked in one pass so that a
        // mostly-abnormal giant image never builds a list of every abnormal pixel (Int, not
        // Int32: images may exceed 2^31 pixels when --max-pixels allows).
        let total = self.mask.reduce(0) { $0 + Int($1) }
        let step = max(1, Double(total) / Double(Self.maxLesionPixels))
        var lesion: [Int] = []
        lesion.reserveCapacity(min(total, Self.maxLesionPixels))
        var seen = 0
        for (index, value) in self.mask.enumerated() where value != 0 {
            if lesion.count < Self.maxLesionPixels, seen == Int(Double(lesion.count) * step) { lesion.append(index) }
            seen += 1
        }
        lesionPixels = lesion
    }
}
