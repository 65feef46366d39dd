/// Lesion-level free-response ROC: how many true lesions are found at a given number of
/// false detections per image.
///
/// Candidates at level t are the 8-connected components of `map > t`, each scored by its
/// maximum (so every candidate at level t has a score above t, and sweeping t sweeps the
/// score cut while letting components split apart as t rises). A candidate is a hit when
/// its IoU with some true lesion (an 8-connected component of the mask) is at least
/// `minimumIoU`; a lesion is found when at least one candidate hits it; every candidate
/// that hits no lesion is one false positive. FP/image divides by all images, normal ones
/// included, so detections on normal mammograms cost as much as any other.
public struct LesionFROC: Sendable {
    /// One point of the curve.
    public struct Point: Codable, Equatable, Sendable {
        public var threshold: Double
        public var falsePositivesPerImage: Double
        public var sensitivity: Double
    }

    /// The levels swept by default: coarse through the middle, finer near 1 where the
    /// confident (and usually few) candidates live.
    public static let defaultThresholds: [Float] =
        stride(from: 0.05, through: 0.9501, by: 0.05).map { Float($0) } + [0.97, 0.98, 0.99, 0.995, 0.999]

    /// The FP/image budgets at which sensitivity is reported.
    public static let reportedFalsePositiveRates: [Double] = [0.1, 0.5, 1, 2]

    public let minimumIoU: Double
    public let thresholds: [Float]
    public private(set) var imageCount = 0
    public private(set) var lesionCount = 0
    private var found: [Int]
    private var falsePositives: [Int]

    public init(thresholds: [Float] = LesionFROC.defaultThresholds, minimumIoU: Double = 0.2) {
        self.thresholds = thresholds
        self.minimumIoU = minimumIoU
        found = Array(repeating: 0, count: thresholds.count)
        falsePositives = Array(repeating: 0, count: thresholds.count)
    }

    /// Adds one image: its probability map and its mask (non-zero = lesion).
    public mutating func add(probability: [Float], mask: [UInt8], width: Int, height: Int) {
        imageCount += 1
        let lesions = ConnectedComponents(mask: mask.map { $0 != 0 }, width: width, height: height)
        lesionCount += lesions.count
        for (level, threshold) in thresholds.enumerated() {
            let candidates = ConnectedComponents(mask: probability.map { $0 > threshold }, width: width, height: height)
            guard candidates.count > 0 else { continue }
            // overlap[c][l]: pixels shared by candidate c and lesion l (both 0-based).
            var overlap = [[Int]](repeating: [Int](repeating: 0, count: lesions.count), count: candidates.count)
            if lesions.count > 0 {
                for i in candidates.labels.indices where candidates.labels[i] != 0 && lesions.labels[i] != 0 {
                    overlap[Int(candidates.labels[i]) - 1][Int(lesions.labels[i]) - 1] += 1
                }
            }
            var lesionFound = [Bool](repeating: false, count: lesions.count)
            for c in 0..<candidates.count {
                var hit = false
                for l in 0..<lesions.count where overlap[c][l] > 0 {
                    let union = candidates.sizes[c] + lesions.sizes[l] - overlap[c][l]
                    if Double(overlap[c][l]) >= minimumIoU * Double(union) {
                        hit = true
                        lesionFound[l] = true
                    }
                }
                if !hit { falsePositives[level] += 1 }
            }
            found[level] += lesionFound.lazy.filter { $0 }.count
        }
    }

    /// The measured points, one per level, in the order of `thresholds`.
    /// Sensitivity is 0 when no image had a lesion.
    public var points: [Point] {
        thresholds.indices.map { level in
            Point(threshold: Double(thresholds[level]),
                  falsePositivesPerImage: imageCount == 0 ? 0 : Double(falsePositives[level]) / Double(imageCount),
                  sensitivity: lesionCount == 0 ? 0 : Double(found[level]) / Double(lesionCount))
        }
    }

    /// Sensitivity at `rate` false positives per image, read off the curve as follows:
    /// the points are sorted by FP/image and made non-decreasing (a budget of f FP/image
    /// may use any level that needs fewer, so the best sensitivity so far carries over);
    /// the curve starts at (0, 0) — a level above every score finds nothing — and is
    /// interpolated linearly between neighbouring points; beyond the last point the last
    /// sensitivity holds (no swept level produces more false positives). `nil` without lesions.
    public func sensitivity(atFalsePositivesPerImage rate: Double) -> Double? {
        guard lesionCount > 0 else { return nil }
        var curve = [(fp: 0.0, sensitivity: 0.0)]
        for point in points.sorted(by: { ($0.falsePositivesPerImage, $0.sensitivity) < ($1.falsePositivesPerImage, $1.sensitivity) }) {
            curve.append((point.falsePositivesPerImage, max(point.sensitivity, curve.last!.sensitivity)))
        }
        var best = curve[0].sensitivity
        for (a, b) in zip(curve, curve.dropFirst()) {
            if b.fp <= rate { best = max(best, b.sensitivity); continue }
            if a.fp <= rate {
                let t = b.fp > a.fp ? (rate - a.fp) / (b.fp - a.fp) : 0
                best = max(best, a.sensitivity + t * (b.sensitivity - a.sensitivity))
            }
            break
        }
        return best
    }
}
