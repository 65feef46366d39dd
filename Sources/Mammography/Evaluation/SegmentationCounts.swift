/// Pixel confusion counts of a hard mask against the true mask, accumulated over
/// any number of images (pooled metrics add the counts, per-image means average the ratios).
public struct SegmentationCounts: Codable, Equatable, Sendable {
    public var truePositive = 0
    public var falsePositive = 0
    public var falseNegative = 0
    public var trueNegative = 0

    public init() {}

    public init(truePositive: Int, falsePositive: Int, falseNegative: Int, trueNegative: Int) {
        self.truePositive = truePositive; self.falsePositive = falsePositive
        self.falseNegative = falseNegative; self.trueNegative = trueNegative
    }

    /// Counts of `probability > threshold` against `mask != 0` over all pixels.
    public init(probability: [Float], mask: [UInt8], threshold: Float) {
        for i in probability.indices {
            add(predicted: probability[i] > threshold, actual: mask[i] != 0)
        }
    }

    @inlinable public mutating func add(predicted: Bool, actual: Bool) {
        switch (predicted, actual) {
        case (true, true): truePositive += 1
        case (true, false): falsePositive += 1
        case (false, true): falseNegative += 1
        case (false, false): trueNegative += 1
        }
    }

    public static func + (a: Self, b: Self) -> Self {
        Self(truePositive: a.truePositive + b.truePositive, falsePositive: a.falsePositive + b.falsePositive,
             falseNegative: a.falseNegative + b.falseNegative, trueNegative: a.trueNegative + b.trueNegative)
    }

    public static func += (a: inout Self, b: Self) { a = a + b }

    public var total: Int { truePositive + falsePositive + falseNegative + trueNegative }

    /// 2TP / (2TP + FP + FN), foreground only; `nil` when there is no foreground at all.
    public var dice: Double? { ratio(2 * truePositive, 2 * truePositive + falsePositive + falseNegative) }
    /// TP / (TP + FP + FN), foreground only; `nil` when there is no foreground at all.
    public var iou: Double? { ratio(truePositive, truePositive + falsePositive + falseNegative) }
    /// TP / (TP + FN): the share of abnormal pixels found (sensitivity).
    public var recall: Double? { ratio(truePositive, truePositive + falseNegative) }
    /// TP / (TP + FP): the share of flagged pixels that are abnormal.
    public var precision: Double? { ratio(truePositive, truePositive + falsePositive) }
    /// TN / (TN + FP): the share of normal pixels left unflagged.
    public var specificity: Double? { ratio(trueNegative, trueNegative + falsePositive) }
    /// (TP + TN) / all.
    public var accuracy: Double? { ratio(truePositive + trueNegative, total) }
}

/// `numerator / denominator`, or `nil` when the denominator is 0 (the ratio is undefined,
/// which a report must show as such rather than as 0 or 1).
@inlinable func ratio(_ numerator: Int, _ denominator: Int) -> Double? {
    denominator == 0 ? nil : Double(numerator) / Double(denominator)
}
