/// Lesion-level free-response ROC as CAD papers and LUNA16 define it (design.md "Definitions").
///
/// Candidates are the peaks of each map (`PeakCandidates`), judged per image
/// (`ImageDetections`: hit, ignored repeat hit, or false positive). One threshold then
/// sweeps down over the candidate scores of all images at once: at each score, sensitivity
/// = found lesions / all lesions and FP/image = false positives / all images (normal ones
/// included, so detections on normal mammograms cost as much as any other).
public struct LesionFROC: Sendable {
    /// One point of the curve: every candidate scoring at least `threshold` is kept.
    public struct Point: Codable, Equatable, Sendable {
        public var threshold: Double
        public var falsePositivesPerImage: Double
        public var sensitivity: Double
    }

    public let options: FROCOptions
    public private(set) var images: [ImageDetections] = []

    public init(options: FROCOptions = FROCOptions()) {
        self.options = options
    }

    /// A FROC of already judged images (a bootstrap replicate reuses them).
    public init(images: [ImageDetections], options: FROCOptions = FROCOptions()) {
        self.options = options
        self.images = images
    }

    /// Adds one image: its probability map and its mask (non-zero = lesion).
    public mutating func add(probability: [Float], mask: [UInt8], width: Int, height: Int) {
        images.append(ImageDetections(probability: probability, mask: mask, width: width, height: height, options: options))
    }

    public var imageCount: Int { images.count }
    public var lesionCount: Int { images.reduce(0) { $0 + $1.lesionCount } }

    /// The full staircase, one point per distinct candidate score, highest score first.
    public var sweep: [Point] {
        guard !images.isEmpty else { return [] }
        var marks: [(score: Float, hit: Bool)] = []
        for image in images {
            marks += image.hitScores.map { ($0, true) }
            marks += image.falsePositiveScores.map { ($0, false) }
        }
        marks.sort { $0.score > $1.score }
        let n = Double(images.count), lesions = Double(lesionCount)
        var points: [Point] = [], hits = 0, falsePositives = 0, k = 0
        while k < marks.count {
            let score = marks[k].score
            while k < marks.count, marks[k].score == score {
                if marks[k].hit { hits += 1 } else { falsePositives += 1 }
                k += 1
            }
            points.append(Point(threshold: Double(score), falsePositivesPerImage: Double(falsePositives) / n,
                                sensitivity: lesions == 0 ? 0 : Double(hits) / lesions))
        }
        return points
    }

    /// The corners of `sweep` (points where sensitivity changes, and the last): enough to
    /// redraw the staircase and read it off, without one point per false positive.
    public var points: [Point] {
        let all = sweep
        return all.indices.filter { i in
            i == all.count - 1 || all[i + 1].sensitivity != all[i].sensitivity
                || (i > 0 && all[i - 1].sensitivity != all[i].sensitivity) || i == 0
        }.map { all[$0] }
    }

    /// The highest FP/image the curve reaches: that of the lowest threshold, all candidates kept.
    public var maximumFalsePositivesPerImage: Double { sweep.last?.falsePositivesPerImage ?? 0 }

    /// Sensitivity at `rate` FP/image: that of the lowest threshold whose FP/image is at most
    /// `rate` (a step read-off, no interpolation). `nil` without lesions, and `nil` beyond the
    /// highest FP/image the candidates reach — nothing was measured there, so nothing is carried forward.
    public func sensitivity(atFalsePositivesPerImage rate: Double) -> Double? {
        sensitivity(atFalsePositivesPerImage: rate, sweep: sweep)
    }

    private func sensitivity(atFalsePositivesPerImage rate: Double, sweep: [Point]) -> Double? {
        guard lesionCount > 0, rate <= (sweep.last?.falsePositivesPerImage ?? 0) else { return nil }
        return sweep.last(where: { $0.falsePositivesPerImage <= rate })?.sensitivity ?? 0
    }

    /// Sensitivity at each of `options.falsePositiveRates`, in order (`nil` where not reached).
    public var sensitivities: [Double?] {
        let all = sweep
        return options.falsePositiveRates.map { sensitivity(atFalsePositivesPerImage: $0, sweep: all) }
    }

    /// The rates of `options.falsePositiveRates` that the curve reaches.
    public var reachedRates: [Double] {
        zip(options.falsePositiveRates, sensitivities).compactMap { $1 == nil ? nil : $0 }
    }

    /// Competition performance metric: the mean sensitivity over the reached rates
    /// (`reachedRates`); `nil` when none is reached or there is no lesion.
    public var cpm: Double? {
        let reached = sensitivities.compactMap { $0 }
        return reached.isEmpty ? nil : reached.reduce(0, +) / Double(reached.count)
    }
}
