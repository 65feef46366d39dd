import MammoData

/// `predict` on a raw file writes exactly 0 outside the breast (`sourceGridProbability`). A
/// dataset image made by `Preprocessing` (its entry has a transform) is 0 exactly outside that
/// breast mask, so a map over it is masked the same way wherever the image is 0: evaluation,
/// validation and `predict --data` then score the map a raw `predict` delivers for the same source,
/// and its SEGs and PNGs, brought back through the transform, score the same. Images made
/// directly in the prepared grid (synthetic data, no transform) are left as they are.
/// (With a breast-percentiles intensity policy the darkest breast pixels are 0 too and masked.)
public enum PreparedBreastMask {
    public static func apply(to probability: inout [Float], image: GrayImage, entry: DatasetEntry) {
        guard entry.transform != nil, probability.count == image.pixels.count else { return }
        for i in probability.indices where image.pixels[i] == 0 { probability[i] = 0 }
    }
}
