/// Everything the report needs from one image, measured once from its map: the report sums
/// these, and a bootstrap replicate re-sums a resampled list of them without the maps.
public struct ImageMeasurement: Sendable {
    public var id: String
    /// The resampling unit of the bootstrap (the image id when no patient is known).
    public var patientID: String
    public var isPositive: Bool
    /// Pixel counts at the threshold (used for positive images).
    public var counts: SegmentationCounts
    /// Breast pixels above the threshold, and breast pixels (used for negative images).
    public var flaggedBreastPixels: Int
    public var breastPixels: Int
    /// Confounder pixels above the threshold, and confounder pixels (0 when the image has none).
    public var flaggedConfounderPixels: Int
    public var confounderPixels: Int
    public var maximumScore: Double
    public var topKMeanScore: Double
    public var seedRuleDecision: Bool
    public var detections: ImageDetections

    /// Measures `sample` at `threshold`. Throws when its arrays do not match its size.
    public init(sample: SegmentationSample, threshold: Float, froc: FROCOptions) throws {
        try sample.validate()
        id = sample.id
        patientID = sample.patientID ?? sample.id
        isPositive = sample.isPositive
        counts = SegmentationCounts(probability: sample.probability, mask: sample.mask, threshold: threshold)
        var flagged = 0, breast = 0
        for i in sample.probability.indices where sample.breast?[i] ?? true {
            breast += 1
            if sample.probability[i] > threshold { flagged += 1 }
        }
        flaggedBreastPixels = flagged; breastPixels = breast
        var flaggedConfounder = 0, confounder = 0
        if let marks = sample.confounder {
            for i in marks.indices where marks[i] != 0 {
                confounder += 1
                if sample.probability[i] > threshold { flaggedConfounder += 1 }
            }
        }
        flaggedConfounderPixels = flaggedConfounder; confounderPixels = confounder
        maximumScore = ImageScore.maximum(sample.probability)
        topKMeanScore = ImageScore.topKMean(sample.probability, k: ImageScore.topK(width: sample.width, height: sample.height))
        seedRuleDecision = ImageScore.seedRule(sample.probability, width: sample.width, height: sample.height, threshold: threshold)
        detections = ImageDetections(probability: sample.probability, mask: sample.mask,
                                     width: sample.width, height: sample.height, options: froc)
    }
}
