/// Lesion candidates of a probability map: the local maxima of the smoothed map, after
/// non-maximum suppression, each scored by its smoothed value.
public struct PeakCandidate: Equatable, Sendable {
    public var x: Int
    public var y: Int
    public var score: Float
}

public enum PeakCandidates {
    /// Smooths `map` (Gaussian σ), keeps pixels equal to the maximum of their
    /// (2r + 1)² window (a separable max filter) and at least `minimumScore`, then breaks
    /// plateaus greedily — highest score first, then raster order — so no two candidates
    /// lie within radius r of each other. Sorted by descending score.
    public static func find(in map: [Float], width: Int, height: Int, options: FROCOptions) -> [PeakCandidate] {
        let smoothed = GaussianSmoothing.smooth(map, width: width, height: height, sigma: options.smoothingSigma)
        let r = options.suppressionRadius
        let dilated = MaximumFilter.apply(smoothed, width: width, height: height, radius: r)
        let cut = Float(options.minimumScore)
        var peaks: [Int] = []
        for i in smoothed.indices where smoothed[i] >= cut && smoothed[i] == dilated[i] { peaks.append(i) }
        peaks.sort { smoothed[$0] != smoothed[$1] ? smoothed[$0] > smoothed[$1] : $0 < $1 }
        // Equal neighbouring maxima (a plateau) would all pass the test above; keep the first.
        var suppressed = [Bool](repeating: false, count: map.count)
        var candidates: [PeakCandidate] = []
        for i in peaks where !suppressed[i] {
            let y = i / width, x = i - y * width
            candidates.append(PeakCandidate(x: x, y: y, score: smoothed[i]))
            guard r > 0 else { continue }
            for yy in max(0, y - r)...min(height - 1, y + r) {
                for xx in max(0, x - r)...min(width - 1, x + r) { suppressed[yy * width + xx] = true }
            }
        }
        return candidates
    }
}
