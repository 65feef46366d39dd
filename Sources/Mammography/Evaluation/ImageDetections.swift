/// One image's candidates, already judged against its lesions: what the global FROC sweep
/// (and a bootstrap that resamples images) needs, without the maps.
public struct ImageDetections: Codable, Equatable, Sendable {
    public var lesionCount: Int
    /// Scores of the candidates that found a lesion first (one per found lesion).
    public var hitScores: [Float]
    /// Scores of the candidates outside every lesion's tolerance.
    public var falsePositiveScores: [Float]

    public init(lesionCount: Int, hitScores: [Float], falsePositiveScores: [Float]) {
        self.lesionCount = lesionCount; self.hitScores = hitScores; self.falsePositiveScores = falsePositiveScores
    }

    /// Finds the candidates of `probability` and judges them, highest score first: a candidate
    /// inside a lesion not yet found (its mask dilated by the hit tolerance; the nearest such
    /// lesion when dilations overlap) is a hit; one inside only lesions already found is ignored
    /// (neither hit nor false positive); any other is a false positive. Because the sweep lowers
    /// one threshold over all images, judging in score order here equals judging it there.
    public init(probability: [Float], mask: [UInt8], width: Int, height: Int, options: FROCOptions) {
        let lesions = LesionMap(mask: mask, width: width, height: height, clusterDistance: options.clusterDistance)
        var found = [Bool](repeating: false, count: lesions.count + 1)
        var hits: [Float] = [], falsePositives: [Float] = []
        for candidate in PeakCandidates.find(in: probability, width: width, height: height, options: options) {
            let near = lesions.count == 0 ? [] : lesions.lesions(near: candidate.x, candidate.y, tolerance: options.hitTolerance)
            if near.isEmpty {
                falsePositives.append(candidate.score)
            } else if let lesion = near.first(where: { !found[$0] }) {
                found[lesion] = true
                hits.append(candidate.score)
            }
        }
        self.init(lesionCount: lesions.count, hitScores: hits, falsePositiveScores: falsePositives)
    }
}
