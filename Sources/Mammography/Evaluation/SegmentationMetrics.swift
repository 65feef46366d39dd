/// The study's evaluation of probability maps against masks (design.md "Definitions").
public enum SegmentationMetrics {
    /// Evaluates `samples` at `threshold` (hard mask = probability > threshold).
    ///
    /// - Segmentation (Dice, IoU, recall, precision, specificity) on positive images only.
    /// - False-positive rate on negative images, over breast pixels.
    /// - Image level: AUC of the max and of the top-k mean, and the seed's H·W/750 rule.
    /// - Lesion FROC over all images (`LesionFROC` with `froc`).
    /// - With `bootstrapReplicates` > 0: 95 % intervals, bootstrap over patients (`ConfidenceIntervals`).
    /// Throws `EvaluationError` when a sample's arrays do not match its size.
    public static func evaluate(samples: [SegmentationSample], threshold: Float = 0.5,
                                froc: FROCOptions = FROCOptions(),
                                bootstrapReplicates: Int = 0, seed: UInt64 = 0) throws -> EvaluationReport {
        try froc.validate()
        let measurements = try samples.map { try ImageMeasurement(sample: $0, threshold: threshold, froc: froc) }
        var result = report(measurements: measurements, threshold: threshold, froc: froc)
        if bootstrapReplicates > 0 {
            result.confidenceIntervals = ConfidenceIntervals(measurements: measurements, threshold: threshold, froc: froc,
                                                             replicates: bootstrapReplicates, seed: seed)
        }
        return result
    }

    /// The report of already measured images (a bootstrap replicate passes a resampled list).
    public static func report(measurements: [ImageMeasurement], threshold: Float, froc options: FROCOptions) -> EvaluationReport {
        var pooled = SegmentationCounts()
        var diceSum = 0.0, iouSum = 0.0
        var negativeFlagged = 0, negativeBreast = 0
        var negativeRateSum = 0.0, negativeRateImages = 0, negativeWithFP = 0
        var confounderFlagged = 0, confounderPixels = 0
        for image in measurements {
            if image.isPositive {
                pooled += image.counts
                // A positive image always has foreground, so both ratios are defined.
                diceSum += image.counts.dice ?? 0
                iouSum += image.counts.iou ?? 0
            } else {
                negativeFlagged += image.flaggedBreastPixels; negativeBreast += image.breastPixels
                if image.breastPixels > 0 {
                    negativeRateSum += Double(image.flaggedBreastPixels) / Double(image.breastPixels)
                    negativeRateImages += 1
                }
                if image.flaggedBreastPixels > 0 { negativeWithFP += 1 }
                confounderFlagged += image.flaggedConfounderPixels; confounderPixels += image.confounderPixels
            }
        }
        let labels = measurements.map(\.isPositive)
        let positives = labels.lazy.filter { $0 }.count
        let negatives = labels.count - positives
        let froc = LesionFROC(images: measurements.map(\.detections), options: options)
        let sensitivities = froc.sensitivities
        var byRate: [String: Double?] = [:]
        for (rate, value) in zip(options.falsePositiveRates, sensitivities) { byRate[EvaluationReport.rateKey(rate)] = value }
        return EvaluationReport(
            threshold: Double(threshold),
            imageCount: measurements.count, positiveImageCount: positives, negativeImageCount: negatives,
            segmentation: .init(counts: pooled, pooledDice: pooled.dice, pooledIoU: pooled.iou,
                                meanDice: positives == 0 ? nil : diceSum / Double(positives),
                                meanIoU: positives == 0 ? nil : iouSum / Double(positives),
                                recall: pooled.recall, precision: pooled.precision, specificity: pooled.specificity),
            negativeImages: .init(falsePositiveRate: ratio(negativeFlagged, negativeBreast),
                                  meanFalsePositiveRate: negativeRateImages == 0 ? nil : negativeRateSum / Double(negativeRateImages),
                                  imagesWithFalsePositives: ratio(negativeWithFP, negatives),
                                  confounderFalsePositiveRate: ratio(confounderFlagged, confounderPixels)),
            imageLevel: .init(aucMax: ROC.auc(scores: measurements.map(\.maximumScore), labels: labels),
                              aucTopKMean: ROC.auc(scores: measurements.map(\.topKMeanScore), labels: labels),
                              seedRule: ClassifierMetrics(decisions: measurements.map(\.seedRuleDecision), labels: labels)),
            lesions: .init(lesionCount: froc.lesionCount, options: options, sensitivityAtFalsePositives: byRate,
                           maximumFalsePositivesPerImage: froc.maximumFalsePositivesPerImage,
                           cpm: froc.cpm, cpmRates: froc.reachedRates, curve: froc.points))
    }
}
