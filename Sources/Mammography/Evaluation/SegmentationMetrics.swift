/// The study's evaluation of probability maps against masks (design.md "Definitions").
public enum SegmentationMetrics {
    /// Evaluates `samples` at `threshold` (hard mask = probability > threshold).
    ///
    /// - Segmentation (Dice, IoU, recall, precision, specificity) on positive images only.
    /// - False-positive rate on negative images, over breast pixels.
    /// - Image level: AUC of the max and of the top-k mean, and the seed's H·W/750 rule.
    /// - Lesion FROC over all images with `froc` levels and IoU ≥ `minimumIoU`.
    /// Throws `EvaluationError` when a sample's arrays do not match its size.
    public static func evaluate(samples: [SegmentationSample], threshold: Float = 0.5,
                                frocThresholds: [Float] = LesionFROC.defaultThresholds,
                                minimumIoU: Double = 0.2) throws -> EvaluationReport {
        var pooled = SegmentationCounts()
        var diceSum = 0.0, iouSum = 0.0
        var negativeFlagged = 0, negativeBreast = 0
        var negativeRateSum = 0.0, negativeRateImages = 0, negativeWithFP = 0
        var labels: [Bool] = [], maxScores: [Double] = [], topKScores: [Double] = [], seedDecisions: [Bool] = []
        var froc = LesionFROC(thresholds: frocThresholds, minimumIoU: minimumIoU)

        for sample in samples {
            try sample.validate()
            let positive = sample.isPositive
            labels.append(positive)
            maxScores.append(ImageScore.maximum(sample.probability))
            topKScores.append(ImageScore.topKMean(sample.probability, k: ImageScore.topK(width: sample.width, height: sample.height)))
            seedDecisions.append(ImageScore.seedRule(sample.probability, width: sample.width, height: sample.height, threshold: threshold))
            froc.add(probability: sample.probability, mask: sample.mask, width: sample.width, height: sample.height)

            if positive {
                let counts = SegmentationCounts(probability: sample.probability, mask: sample.mask, threshold: threshold)
                pooled += counts
                // A positive image always has foreground, so both ratios are defined.
                diceSum += counts.dice ?? 0
                iouSum += counts.iou ?? 0
            } else {
                var flagged = 0, breast = 0
                for i in sample.probability.indices where sample.breast?[i] ?? true {
                    breast += 1
                    if sample.probability[i] > threshold { flagged += 1 }
                }
                negativeFlagged += flagged; negativeBreast += breast
                if breast > 0 { negativeRateSum += Double(flagged) / Double(breast); negativeRateImages += 1 }
                if flagged > 0 { negativeWithFP += 1 }
            }
        }

        let positives = labels.lazy.filter { $0 }.count
        let negatives = labels.count - positives
        var sensitivities: [String: Double?] = [:]
        for rate in LesionFROC.reportedFalsePositiveRates {
            sensitivities[EvaluationReport.rateKey(rate)] = froc.sensitivity(atFalsePositivesPerImage: rate)
        }
        return EvaluationReport(
            threshold: Double(threshold),
            imageCount: samples.count, positiveImageCount: positives, negativeImageCount: negatives,
            segmentation: .init(counts: pooled, pooledDice: pooled.dice, pooledIoU: pooled.iou,
                                meanDice: positives == 0 ? nil : diceSum / Double(positives),
                                meanIoU: positives == 0 ? nil : iouSum / Double(positives),
                                recall: pooled.recall, precision: pooled.precision, specificity: pooled.specificity),
            negativeImages: .init(falsePositiveRate: ratio(negativeFlagged, negativeBreast),
                                  meanFalsePositiveRate: negativeRateImages == 0 ? nil : negativeRateSum / Double(negativeRateImages),
                                  imagesWithFalsePositives: ratio(negativeWithFP, negatives)),
            imageLevel: .init(aucMax: ROC.auc(scores: maxScores, labels: labels),
                              aucTopKMean: ROC.auc(scores: topKScores, labels: labels),
                              seedRule: ClassifierMetrics(decisions: seedDecisions, labels: labels)),
            lesions: .init(lesionCount: froc.lesionCount, minimumIoU: minimumIoU,
                           sensitivityAtFalsePositives: sensitivities, curve: froc.points))
    }
}
