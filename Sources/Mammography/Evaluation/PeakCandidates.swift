/// Lesion candidates of a probability map: the local maxima of the smoothed map, after
/// non-maximum suppression, each scored by its smoothed value.
public struct PeakCandidate: Equatable, Sendable {
    public var x: Int
    public var y: Int
    public var score: Float
}

public enum PeakCandidates {
    /// Smooths `map` (Gaussian σ), keeps pixels equal to the maximum of their
    /// (2r + 1)² window (a separable max filter) and at least `minimumScore`, merges
    /// 8-connected such pixels of equal value (a plateau, e.g. saturated p = 1 or a flat
    /// background) into one candidate at the plateau pixel nearest its centroid, then
    /// suppresses greedily — highest score first, then raster order — so no two candidates
    /// lie within radius r of each other. Sorted by descending score.
    public static func find(in map: [Float], width: Int, height: Int, options: FROCOptions) -> [PeakCandidate] {
        let levels = options.scoreLevels
        let rounded = levels == 0 ? map : quantized(map, levels: levels)
        let smoothed = GaussianSmoothing.smooth(rounded, width: width, height: height, sigma: options.smoothingSigma)
        let r = options.suppressionRadius
        let dilated = MaximumFilter.apply(smoothed, width: width, height: height, radius: r)
        let cut = Float(options.minimumScore)
        var isPeak = [Bool](repeating: false, count: map.count)
        for i in smoothed.indices where smoothed[i] >= cut && smoothed[i] == dilated[i] { isPeak[i] = true }
        var peaks = plateauCentres(isPeak: &isPeak, values: smoothed, width: width, height: height)
        peaks.sort { smoothed[$0] != smoothed[$1] ? smoothed[$0] > smoothed[$1] : $0 < $1 }
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

    /// `map` as a `levels`-step image stores it and reads it back: the arithmetic of
    /// `Heatmap.probabilityImage` then `GrayImage.normalized`, so the two agree bit for bit.
    static func quantized(_ map: [Float], levels: Int) -> [Float] {
        let steps = Float(levels), scale = 1 / Float(levels)
        return map.map { p in Float(Int((p.isNaN ? 0 : min(max(p, 0), 1) * steps).rounded())) * scale }
    }

    /// One pixel per 8-connected group of equal-valued peak pixels: the one nearest the
    /// group's centroid (raster order breaks ties). Clears `isPeak` as it goes.
    private static func plateauCentres(isPeak: inout [Bool], values: [Float], width: Int, height: Int) -> [Int] {
        var centres: [Int] = [], group: [Int] = [], stack: [Int] = []
        for seed in isPeak.indices where isPeak[seed] {
            let value = values[seed]
            group.removeAll(keepingCapacity: true)
            isPeak[seed] = false
            stack.append(seed)
            while let pixel = stack.popLast() {
                group.append(pixel)
                let y = pixel / width, x = pixel - y * width
                for ny in max(0, y - 1)...min(height - 1, y + 1) {
                    for nx in max(0, x - 1)...min(width - 1, x + 1) {
                        let n = ny * width + nx
                        if isPeak[n] && values[n] == value { isPeak[n] = false; stack.append(n) }
                    }
                }
            }
            if group.count == 1 { centres.append(seed); continue }
            var sx = 0.0, sy = 0.0
            for pixel in group { sx += Double(pixel % width); sy += Double(pixel / width) }
            let cx = sx / Double(group.count), cy = sy / Double(group.count)
            func distance(_ pixel: Int) -> Double {
                let dx = Double(pixel % width) - cx, dy = Double(pixel / width) - cy
                return dx * dx + dy * dy
            }
            centres.append(group.min { (distance($0), $0) < (distance($1), $1) }!)
        }
        return centres
    }
}
