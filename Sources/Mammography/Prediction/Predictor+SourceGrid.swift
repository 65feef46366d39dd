import MammoData

extension Predictor {
    /// P(abnormal) per pixel of a raw mammogram, in its own grid (same rows × columns, neither
    /// flipped nor cropped): the image is prepared as the training images were (`preprocessing`),
    /// run at that scale, and the map mapped back — exactly 0 outside the breast, so labels,
    /// markers, borders and background never light up. Returns the preparation too (for overlays).
    /// `pixelSpacing` (the DICOM header's, mm) scales the image when the policy has a target spacing.
    public func sourceGridProbability(of image: GrayImage, preprocessing: Preprocessing,
                                      laterality: Orientation.Laterality? = nil,
                                      pixelSpacing: Double? = nil, file: String = "image") throws -> (probability: [Float], prepared: PreparedImage) {
        let prepared = try preprocessing.prepare(image, laterality: laterality, pixelSpacing: pixelSpacing, file: file)
        var p = try probability(image: prepared.image.normalized(), width: prepared.image.width, height: prepared.image.height)
        for i in 0..<p.count where !prepared.breastMask.bits[i] { p[i] = 0 }
        return (prepared.mapBack(p), prepared)
    }
}
