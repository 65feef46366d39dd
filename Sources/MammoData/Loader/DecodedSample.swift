/// An image and its mask decoded once and kept in the form the crop sampler reads.
struct DecodedSample: Sendable {
    let width: Int, height: Int
    let pixels: [UInt16]
    /// 1 / (2^bitDepth − 1): multiplies a pixel into [0, 1].
    let intensityScale: Float
    /// 0/1 per pixel.
    let mask: [UInt8]
    /// Indices of up to `maxLesionPixels` abnormal pixels (evenly subsampled) for lesion-centred crops.
    let lesionPixels: [Int32]

    static let maxLesionPixels = 4096

    init(image: GrayImage, mask: GrayImage) {
        width = image.width; height = image.height
        pixels = image.pixels
        intensityScale = 1 / Float(image.maxValue)
        self.mask = mask.pixels.map { $0 == 0 ? 0 : 1 }
        var lesion: [Int32] = []
        for (index, value) in self.mask.enumerated() where value != 0 { lesion.append(Int32(index)) }
        if lesion.count > Self.maxLesionPixels {
            let step = Double(lesion.count) / Double(Self.maxLesionPixels)
            lesion = (0..<Self.maxLesionPixels).map { lesion[Int(Double($0) * step)] }
        }
        lesionPixels = lesion
    }
}
