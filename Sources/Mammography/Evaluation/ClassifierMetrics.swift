/// Image-level (or any binary) classification quality: hard decisions plus, when
/// scores are given, the threshold-free ROC AUC.
public struct ClassifierMetrics: Codable, Equatable, Sendable {
    public var count: Int
    public var positives: Int
    public var truePositive: Int
    public var falsePositive: Int
    public var falseNegative: Int
    public var trueNegative: Int
    /// (TP + TN) / count.
    public var accuracy: Double?
    /// TP / (TP + FN), the sensitivity.
    public var recall: Double?
    /// TP / (TP + FP).
    public var precision: Double?
    /// TN / (TN + FP).
    public var specificity: Double?
    /// Area under the ROC curve of the scores; `nil` without scores or when a class is absent.
    public var auc: Double?

    /// Metrics of given decisions, with the AUC of `scores` when given.
    public init(decisions: [Bool], labels: [Bool], scores: [Double]? = nil) {
        precondition(decisions.count == labels.count, "ClassifierMetrics: \(decisions.count) decisions for \(labels.count) labels")
        var tp = 0, fp = 0, fn = 0, tn = 0
        for (predicted, actual) in zip(decisions, labels) {
            switch (predicted, actual) {
            case (true, true): tp += 1
            case (true, false): fp += 1
            case (false, true): fn += 1
            case (false, false): tn += 1
            }
        }
        count = labels.count; positives = tp + fn
        truePositive = tp; falsePositive = fp; falseNegative = fn; trueNegative = tn
        accuracy = ratio(tp + tn, labels.count)
        recall = ratio(tp, tp + fn)
        precision = ratio(tp, tp + fp)
        specificity = ratio(tn, tn + fp)
        auc = scores.flatMap { ROC.auc(scores: $0, labels: labels) }
    }

    /// Metrics of probabilities: positive when `probability > threshold`; AUC of the probabilities.
    public init(probabilities: [Double], labels: [Bool], threshold: Double = 0.5) {
        self.init(decisions: probabilities.map { $0 > threshold }, labels: labels, scores: probabilities)
    }
}
