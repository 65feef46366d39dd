/// The knobs of the lesion FROC (design.md "Definitions"), in pixels of the evaluated map.
public struct FROCOptions: Codable, Equatable, Sendable {
    /// σ of the Gaussian that smooths the map before peaks are found (0: no smoothing).
    public var smoothingSigma: Double = 1
    /// Non-maximum suppression: a candidate is the largest value within this Chebyshev radius.
    public var suppressionRadius: Int = 8
    /// Peaks of the smoothed map below this score are not candidates.
    public var minimumScore: Double = 0.01
    /// A candidate hits a lesion when it lies within this distance of a lesion pixel.
    public var hitTolerance: Int = 4
    /// Mask components closer than this (nearest pixels, Euclidean) are one lesion: a calcification cluster.
    public var clusterDistance: Int = 10
    /// Maps are rounded to this many steps (p · levels, as 16-bit PNGs store them) before peaks are
    /// found, so a checkpoint's own maps and the PNGs `predict` writes give the same candidates:
    /// float noise far below 1/65535 otherwise decides which pixel of a near-flat region is a peak.
    /// 0 leaves the map as it is.
    public var scoreLevels: Int = 65535
    /// The FP/image budgets at which sensitivity is read off; their mean is the CPM.
    public var falsePositiveRates: [Double] = [0.125, 0.25, 0.5, 1, 2, 4]

    public init() {}

    public init(smoothingSigma: Double = 1, suppressionRadius: Int = 8, minimumScore: Double = 0.01,
                hitTolerance: Int = 4, clusterDistance: Int = 10, scoreLevels: Int = 65535,
                falsePositiveRates: [Double] = [0.125, 0.25, 0.5, 1, 2, 4]) {
        self.scoreLevels = scoreLevels
        self.smoothingSigma = smoothingSigma; self.suppressionRadius = suppressionRadius
        self.minimumScore = minimumScore; self.hitTolerance = hitTolerance
        self.clusterDistance = clusterDistance; self.falsePositiveRates = falsePositiveRates
    }

    /// Throws on values that make no sense, naming the option.
    public func validate() throws {
        guard smoothingSigma >= 0, smoothingSigma.isFinite else { throw EvaluationError("FROC smoothing σ \(smoothingSigma): give a value ≥ 0") }
        guard suppressionRadius >= 0 else { throw EvaluationError("FROC suppression radius \(suppressionRadius): give a value ≥ 0") }
        guard hitTolerance >= 0 else { throw EvaluationError("FROC hit tolerance \(hitTolerance): give a value ≥ 0") }
        guard (0...65535).contains(scoreLevels) else { throw EvaluationError("FROC score levels \(scoreLevels): give 0 (off) to 65535") }
        guard clusterDistance >= 0 else { throw EvaluationError("FROC cluster distance \(clusterDistance): give a value ≥ 0") }
        guard !falsePositiveRates.isEmpty, falsePositiveRates.allSatisfy({ $0 > 0 && $0.isFinite }) else {
            throw EvaluationError("FROC false-positive rates \(falsePositiveRates): give at least one positive rate")
        }
    }
}
