/// Receiver operating characteristic of a score against binary labels.
public enum ROC {
    /// Area under the ROC curve by the Mann–Whitney rank formula:
    ///
    ///     AUC = (R₊ − n₊(n₊ + 1)/2) / (n₊ · n₋)
    ///
    /// where R₊ is the sum of the ranks (1-based, ascending score) of the positives and
    /// tied scores share the mean of their ranks, so a tie between a positive and a
    /// negative counts one half — the probability that a random positive outscores a
    /// random negative. `nil` when either class is absent (the area is undefined).
    public static func auc(scores: [Double], labels: [Bool]) -> Double? {
        precondition(scores.count == labels.count, "ROC.auc: \(scores.count) scores for \(labels.count) labels")
        let positives = labels.lazy.filter { $0 }.count
        let negatives = labels.count - positives
        guard positives > 0, negatives > 0 else { return nil }
        let order = scores.indices.sorted { scores[$0] < scores[$1] }
        var positiveRankSum = 0.0
        var start = 0
        while start < order.count {
            var end = start + 1
            while end < order.count, scores[order[end]] == scores[order[start]] { end += 1 }
            // Ranks start + 1 … end share their mean.
            let meanRank = Double(start + 1 + end) / 2
            for k in start..<end where labels[order[k]] { positiveRankSum += meanRank }
            start = end
        }
        let n1 = Double(positives), n0 = Double(negatives)
        return (positiveRankSum - n1 * (n1 + 1) / 2) / (n1 * n0)
    }

    /// One operating point of the curve.
    public struct Point: Codable, Equatable, Sendable {
        public var threshold: Double
        public var falsePositiveRate: Double
        public var truePositiveRate: Double
    }

    /// The curve's corners, from the highest threshold (0, 0) to the lowest (1, 1):
    /// a score counts as positive when `score >= threshold`. Empty when a class is absent.
    public static func curve(scores: [Double], labels: [Bool]) -> [Point] {
        let positives = labels.lazy.filter { $0 }.count
        let negatives = labels.count - positives
        guard positives > 0, negatives > 0 else { return [] }
        let order = scores.indices.sorted { scores[$0] > scores[$1] }
        var points = [Point(threshold: .infinity, falsePositiveRate: 0, truePositiveRate: 0)]
        var tp = 0, fp = 0, k = 0
        while k < order.count {
            let threshold = scores[order[k]]
            while k < order.count, scores[order[k]] == threshold {
                if labels[order[k]] { tp += 1 } else { fp += 1 }
                k += 1
            }
            points.append(Point(threshold: threshold, falsePositiveRate: Double(fp) / Double(negatives),
                                truePositiveRate: Double(tp) / Double(positives)))
        }
        return points
    }
}
