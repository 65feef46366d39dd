import Engine

/// Bootstrap confidence intervals of the headline metrics (design.md "Definitions"):
/// patients are drawn with replacement (all of a drawn patient's images come along, so
/// images of one woman never count as independent evidence), the metrics are recomputed,
/// and the interval is the 2.5th–97.5th percentile of the replicates.
public struct ConfidenceIntervals: Codable, Equatable, Sendable {
    /// One interval; `replicates` counts the replicates where the metric was defined
    /// (a replicate without normal images has no normal-image FP rate, one below a FROC
    /// rate's reach has no sensitivity there).
    public struct Interval: Codable, Equatable, Sendable {
        public var lower: Double
        public var upper: Double
        public var replicates: Int
    }

    public var level: Double
    public var replicates: Int
    public var seed: UInt64
    public var patients: Int
    /// Keyed like `EvaluationReport.summaryMetrics`: dice, iou, fp_rate_normal, auc_max,
    /// froc_sens_at_<rate> for each FROC rate, froc_cpm. A metric never defined is absent.
    public var intervals: [String: Interval]

    /// The metric keys, in table order, for FROC `rates`.
    public static func keys(rates: [Double]) -> [String] {
        ["dice", "iou", "fp_rate_normal", "auc_max"] + rates.map { "froc_sens_at_" + EvaluationReport.rateKey($0) } + ["froc_cpm"]
    }

    /// `replicates` bootstrap draws over the patients of `measurements` (seeded: the same
    /// seed gives the same intervals).
    public init(measurements: [ImageMeasurement], threshold: Float, froc: FROCOptions,
                replicates: Int = 2000, seed: UInt64 = 0, level: Double = 0.95) {
        var imagesOf: [String: [Int]] = [:]
        for (i, image) in measurements.enumerated() { imagesOf[image.patientID, default: []].append(i) }
        let patients = imagesOf.keys.sorted().map { imagesOf[$0]! }
        var generator = SeededGenerator(seed: seed, keys: 0xB007)
        let keys = Self.keys(rates: froc.falsePositiveRates)
        var samples = [String: [Double]]()
        for _ in 0..<replicates {
            var drawn: [ImageMeasurement] = []
            for _ in patients.indices { drawn += patients[generator.int(below: patients.count)].map { measurements[$0] } }
            for (key, value) in zip(keys, Self.metrics(of: drawn, froc: froc)) {
                if let value { samples[key, default: []].append(value) }
            }
        }
        var intervals: [String: Interval] = [:]
        for (key, values) in samples {
            let sorted = values.sorted()
            intervals[key] = Interval(lower: Self.percentile(sorted, (1 - level) / 2),
                                      upper: Self.percentile(sorted, 1 - (1 - level) / 2), replicates: sorted.count)
        }
        self.level = level; self.replicates = replicates; self.seed = seed
        self.patients = patients.count; self.intervals = intervals
    }

    /// The metrics of `keys(rates:)` for one replicate, `nil` where undefined.
    static func metrics(of images: [ImageMeasurement], froc options: FROCOptions) -> [Double?] {
        var pooled = SegmentationCounts()
        var flagged = 0, breast = 0
        for image in images {
            if image.isPositive { pooled += image.counts } else { flagged += image.flaggedBreastPixels; breast += image.breastPixels }
        }
        let auc = ROC.auc(scores: images.map(\.maximumScore), labels: images.map(\.isPositive))
        let sensitivities = LesionFROC(images: images.map(\.detections), options: options).sensitivities
        let reached = sensitivities.compactMap { $0 }
        let cpm = reached.isEmpty ? nil : reached.reduce(0, +) / Double(reached.count)
        return [pooled.dice, pooled.iou, ratio(flagged, breast), auc] + sensitivities + [cpm]
    }

    /// The `q` quantile of ascending `sorted`, interpolated linearly between order statistics
    /// (numpy's default, so the numbers can be checked there).
    static func percentile(_ sorted: [Double], _ q: Double) -> Double {
        guard sorted.count > 1 else { return sorted.first ?? .nan }
        let position = q * Double(sorted.count - 1)
        let below = Int(position.rounded(.down)), above = min(below + 1, sorted.count - 1)
        return sorted[below] + (position - Double(below)) * (sorted[above] - sorted[below])
    }
}
