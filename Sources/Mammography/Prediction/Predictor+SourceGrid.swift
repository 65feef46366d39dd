import MammoData

extension Predictor {
    /// P(abnormal) per pixel of a raw mammogram, in its own grid (same rows × columns, neither
    /// flipped nor cropped): the image is prepared as the training images were (`preprocessing`),
    /// run at that scale, and the map mapped back — exactly 0 outside the breast, so labels,
    /// markers, borders and background never light up. Returns the preparation too (for overlays).
    public func sourceGridProbability(of image: GrayImage, preprocessing: Preprocessing,
                                      laterality: Orientation.Laterality? = nil,
                                      pixelSpacing: Double? = nil) throws -> (probability: [Float], prepared: PreparedImage) {
        let prepared = preprocessing.prepare(image, laterality: laterality, pixelSpacing: pixelSpacing)
        var p = try probability(image: prepared.image.normalized(), width: prepared.image.width, height: prepared.image.height)
        for i in 0..<p.count where !prepared.breastMask.bits[i] { p[i] = 0 }
        return (prepared.mapBack(p), prepared)
    }
}
