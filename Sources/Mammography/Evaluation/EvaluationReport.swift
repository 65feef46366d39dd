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
        /// Flagged confounder pixels / confounder pixels, pooled over negative images; nil when
        /// no negative image has a confounder mask (real data).
        public var confounderFalsePositiveRate: Double? = nil
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

    /// Lesion-level FROC (`LesionFROC`).
    public struct Lesions: Codable, Equatable, Sendable {
        public var lesionCount: Int
        public var options: FROCOptions
        /// Sensitivity at each of `options.falsePositiveRates`, keyed "0.125", "0.25", "0.5", "1", "2", "4";
        /// `null` beyond `maximumFalsePositivesPerImage` (not reached) or without lesions.
        public var sensitivityAtFalsePositives: [String: Double?]
        /// FP/image with every candidate kept: the curve ends here.
        public var maximumFalsePositivesPerImage: Double
        /// Mean sensitivity over `cpmRates`, the reported rates the curve reaches.
        public var cpm: Double?
        public var cpmRates: [Double]
        /// The staircase's corners, highest threshold first.
        public var curve: [LesionFROC.Point]
    }
    public var lesions: Lesions

    /// Bootstrap intervals by patient (`nil` when not asked for, e.g. during training).
    public var confidenceIntervals: ConfidenceIntervals?

    /// Pretty-printed JSON with sorted keys (stable diffs between runs).
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(self)
    }

    /// The headline numbers as `(metric, value)` rows, in reading order.
    public var rows: [(metric: String, value: String)] {
        rowsWithIntervals.map { ($0.metric, $0.value) }
    }

    /// `rows` with the key of each row's bootstrap interval (`ConfidenceIntervals.keys`), if it has one.
    var rowsWithIntervals: [(metric: String, value: String, interval: String?)] {
        func f(_ value: Double?) -> String { value.map { String(format: "%.4f", $0) } ?? "n/a" }
        let intervalKeys = ["Dice, pooled (positive images)": "dice", "IoU, pooled (positive images)": "iou",
                            "negative-image FP rate (breast px)": "fp_rate_normal", "image AUC (max)": "auc_max",
                            "FROC CPM (mean over reached rates)": "froc_cpm"]
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
            ("negative-image FP rate on confounders", f(negativeImages.confounderFalsePositiveRate)),
            ("image AUC (max)", f(imageLevel.aucMax)),
            ("image AUC (top-k mean)", f(imageLevel.aucTopKMean)),
            ("seed rule accuracy", f(imageLevel.seedRule.accuracy)),
            ("seed rule recall", f(imageLevel.seedRule.recall)),
            ("seed rule precision", f(imageLevel.seedRule.precision)),
            ("lesions", "\(lesions.lesionCount)"),
        ]
        for rate in lesions.options.falsePositiveRates {
            let key = Self.rateKey(rate)
            rows.append(("FROC sensitivity @ \(key) FP/image", f(lesions.sensitivityAtFalsePositives[key] ?? nil)))
        }
        var keys = intervalKeys
        for rate in lesions.options.falsePositiveRates {
            keys["FROC sensitivity @ \(Self.rateKey(rate)) FP/image"] = "froc_sens_at_" + Self.rateKey(rate)
        }
        rows.append(("FROC CPM (mean over reached rates)", f(lesions.cpm)))
        rows.append(("FROC highest FP/image reached", f(lesions.maximumFalsePositivesPerImage)))
        return rows.map { ($0.0, $0.1, keys[$0.0]) }
    }

    /// An aligned text table of `rows`; with intervals, a third column holds them ("n/a" when
    /// no replicate defined the metric).
    public func textTable() -> String {
        guard let ci = confidenceIntervals else {
            return TextTable(header: ["metric", "value"], rows: rows.map { [$0.metric, $0.value] }, rightAligned: [1]).render()
        }
        let header = "\(Int((ci.level * 100).rounded())) % CI (\(ci.replicates) patient bootstraps)"
        let table = rowsWithIntervals.map { row -> [String] in
            guard let key = row.interval else { return [row.metric, row.value, ""] }
            guard let interval = ci.intervals[key] else { return [row.metric, row.value, "n/a"] }
            return [row.metric, row.value, String(format: "[%.4f, %.4f]", interval.lower, interval.upper)]
        }
        return TextTable(header: ["metric", "value", header], rows: table, rightAligned: [1, 2]).render()
    }

    /// "0.125", "0.5", "1": the JSON key of an FP/image budget.
    static func rateKey(_ rate: Double) -> String {
        rate == rate.rounded() ? String(Int(rate)) : String(rate)
    }
}
