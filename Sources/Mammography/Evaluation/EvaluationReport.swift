import Foundation

/// Everything `SegmentationMetrics.evaluate` measures, as one Codable value.
/// Undefined ratios (e.g. Dice with no positive image) are `nil`, written as JSON `null`
/// and shown as `n/a`.
public struct EvaluationReport: Codable, Equatable, Sendable {
    public var threshold: Double
    public var imageCount: Int
    public var positiveImageCount: Int
    public var negativeImageCount: Int

    /// Pixel metrics on positive images (those with a non-empty mask).
    public struct Segmentation: Codable, Equatable, Sendable {
        public var counts: SegmentationCounts
        /// Dice and IoU of the pooled counts of all positive images.
        public var pooledDice: Double?
        public var pooledIoU: Double?
        /// Mean over positive images of each image's Dice and IoU.
        public var meanDice: Double?
        public var meanIoU: Double?
        public var recall: Double?
        public var precision: Double?
        public var specificity: Double?
    }
    public var segmentation: Segmentation

    /// False positives on negative images (empty mask), over breast pixels only.
    public struct NegativeImages: Codable, Equatable, Sendable {
        /// Flagged breast pixels / breast pixels, pooled over all negative images.
        public var falsePositiveRate: Double?
        /// Mean over negative images of each image's rate.
        public var meanFalsePositiveRate: Double?
        /// Negative images with at least one flagged breast pixel / negative images.
        public var imagesWithFalsePositives: Double?
    }
    public var negativeImages: NegativeImages

    /// Image-level classification.
    public struct ImageLevel: Codable, Equatable, Sendable {
        /// ROC AUC of the map's maximum.
        public var aucMax: Double?
        /// ROC AUC of the mean of the top k pixels, k = `ImageScore.topK` (H·W/750).
        public var aucTopKMean: Double?
        /// The seed's rule: positive when more than H·W/750 pixels are above the threshold.
        public var seedRule: ClassifierMetrics
    }
    public var imageLevel: ImageLevel

    /// Lesion-level FROC.
    public struct Lesions: Codable, Equatable, Sendable {
        public var lesionCount: Int
        public var minimumIoU: Double
        /// Sensitivity at 0.1, 0.5, 1 and 2 false positives per image, keyed "0.1", "0.5", "1", "2".
        public var sensitivityAtFalsePositives: [String: Double?]
        public var curve: [LesionFROC.Point]
    }
    public var lesions: Lesions

    /// Pretty-printed JSON with sorted keys (stable diffs between runs).
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// The headline numbers as `(metric, value)` rows, in reading order.
    public var rows: [(metric: String, value: String)] {
        func f(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "n/a" }
        var rows: [(String, String)] = [
            ("images (positive / negative)", "\(imageCount) (\(positiveImageCount) / \(negativeImageCount))"),
            ("threshold", f(threshold)),
            ("Dice, pooled (positive images)", f(segmentation.pooledDice)),
            ("Dice, per-image mean", f(segmentation.meanDice)),
            ("IoU, pooled (positive images)", f(segmentation.pooledIoU)),
            ("IoU, per-image mean", f(segmentation.meanIoU)),
            ("pixel recall", f(segmentation.recall)),
            ("pixel precision", f(segmentation.precision)),
            ("pixel specificity", f(segmentation.specificity)),
            ("negative-image FP rate (breast px)", f(negativeImages.falsePositiveRate)),
            ("negative-image FP rate, mean", f(negativeImages.meanFalsePositiveRate)),
            ("negative images with any FP", f(negativeImages.imagesWithFalsePositives)),
            ("image AUC (max)", f(imageLevel.aucMax)),
            ("image AUC (top-k mean)", f(imageLevel.aucTopKMean)),
            ("seed rule accuracy", f(imageLevel.seedRule.accuracy)),
            ("seed rule recall", f(imageLevel.seedRule.recall)),
            ("seed rule precision", f(imageLevel.seedRule.precision)),
            ("lesions", "\(lesions.lesionCount)"),
        ]
        for rate in LesionFROC.reportedFalsePositiveRates {
            let key = Self.rateKey(rate)
            rows.append(("FROC sensitivity @ \(key) FP/image", f(lesions.sensitivityAtFalsePositives[key] ?? nil)))
        }
        return rows
    }

    /// An aligned two-column text table of `rows`.
    public func textTable() -> String {
        TextTable(header: ["metric", "value"], rows: rows.map { [$0.metric, $0.value] }, rightAligned: [1]).render()
    }

    /// "0.1", "0.5", "1", "2": the JSON key of an FP/image budget.
    static func rateKey(_ rate: Double) -> String {
        rate == rate.rounded() ? String(Int(rate)) : String(rate)
    }
}
