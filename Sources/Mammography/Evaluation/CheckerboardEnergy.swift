/// Checkerboard energy fraction CEF_s: how much of a map's variance is a pattern that
/// repeats with period s (the fingerprint of a stride-s transposed convolution).
///
/// For a map y (`[height, width]`, row-major):
/// 1. smooth = y convolved with box_s * box_s along both axes, a kernel of length 2s − 1
///    (s = 2: [1, 2, 1]/4; s = 4: [1, 2, 3, 4, 3, 2, 1]/16). Summing over whole periods
///    removes every zero-mean period-s pattern, so the smooth map holds none of it.
/// 2. residual r = y − smooth.
/// 3. for each of the s² stride phases (y mod s, x mod s) fit r ≈ g·smooth + o by least
///    squares: an additive (o) and a multiplicative (g) per-phase pattern.
/// 4. subtract the same fit over all pixels (the part every phase shares, e.g. the
///    residual of the smoothing on curved content).
/// 5. CEF = mean over pixels of (phase fit − shared fit)² / var(y).
/// Pixels within `border` of the edge are excluded from every sum (use at least the
/// receptive field of the layer; it is raised to s − 1 so the kernel never leaves the map).
/// A constant map, or one too small to keep any pixel, has no pattern: CEF = 0.
public enum CheckerboardEnergy {
    /// CEF_s of one map. `period` ≥ 1, `border` ≥ 0.
    public static func fraction(map: [Float], width: Int, height: Int, period s: Int, border: Int) throws -> Double {
        try checkPixelCount(map.count, width: width, height: height, "checkerboard energy: map")
        guard s >= 1 else { throw EvaluationError("checkerboard energy: period \(s) must be at least 1") }
        let border = max(border, s - 1)
        let x0 = border, x1 = width - border, y0 = border, y1 = height - border
        guard x1 > x0, y1 > y0 else { return 0 }

        let smooth = smoothed(map, width: width, height: height, period: s)

        // Per-phase sums for the least-squares fits (index s·(y mod s) + x mod s, plus one
        // slot at the end for all pixels together), accumulated in Double.
        let phases = s * s
        var n = [Double](repeating: 0, count: phases + 1)
        var sumS = n, sumR = n, sumSS = n, sumSR = n
        var sumY = 0.0, sumYY = 0.0
        for y in y0..<y1 {
            for x in x0..<x1 {
                let i = y * width + x
                let v = Double(map[i]), m = Double(smooth[i]), r = v - m
                let p = (y % s) * s + x % s
                n[p] += 1; sumS[p] += m; sumR[p] += r; sumSS[p] += m * m; sumSR[p] += m * r
                sumY += v; sumYY += v * v
            }
        }
        for p in 0..<phases {
            n[phases] += n[p]; sumS[phases] += sumS[p]; sumR[phases] += sumR[p]
            sumSS[phases] += sumSS[p]; sumSR[phases] += sumSR[p]
        }
        let count = n[phases]
        let meanY = sumY / count
        let variance = sumYY / count - meanY * meanY
        guard variance > 1e-12 * max(1, meanY * meanY) else { return 0 }

        // Least squares r ≈ g·m + o: g = cov(m, r) / var(m), o = mean(r) − g·mean(m);
        // a phase whose smooth map is flat gets g = 0 (only the offset is identifiable).
        func fit(_ k: Int) -> (g: Double, o: Double) {
            let meanS = sumS[k] / n[k], meanR = sumR[k] / n[k]
            let varS = sumSS[k] / n[k] - meanS * meanS
            let covSR = sumSR[k] / n[k] - meanS * meanR
            let g = varS > 1e-12 * max(1, meanS * meanS) ? covSR / varS : 0
            return (g, meanR - g * meanS)
        }
        let shared = fit(phases)
        let perPhase = (0..<phases).map { n[$0] > 0 ? fit($0) : shared }

        var energy = 0.0
        for y in y0..<y1 {
            for x in x0..<x1 {
                let m = Double(smooth[y * width + x])
                let phase = perPhase[(y % s) * s + x % s]
                let d = (phase.g - shared.g) * m + (phase.o - shared.o)
                energy += d * d
            }
        }
        return energy / count / variance
    }

    /// Mean CEF_s over the channels of a feature map `[channels, height, width]`.
    /// Constant channels (e.g. dead ReLUs) carry no pattern and are left out of the mean;
    /// 0 when every channel is constant.
    public static func fraction(featureMaps: [Float], channels: Int, width: Int, height: Int,
                                period s: Int, border: Int) throws -> Double {
        guard channels > 0 else { throw EvaluationError("checkerboard energy: a feature map needs at least one channel") }
        try checkPixelCount(featureMaps.count, width: width * channels, height: height, "checkerboard energy: feature map [\(channels), \(height), \(width)]")
        let plane = width * height
        var total = 0.0, used = 0
        for c in 0..<channels {
            let map = Array(featureMaps[c * plane..<(c + 1) * plane])
            guard let lo = map.min(), let hi = map.max(), hi > lo else { continue }
            total += try fraction(map: map, width: width, height: height, period: s, border: border)
            used += 1
        }
        return used == 0 ? 0 : total / Double(used)
    }

    /// The map convolved with box_s * box_s along x then y; values within s − 1 of the
    /// edge are left at 0 (they are always inside the excluded border).
    static func smoothed(_ map: [Float], width: Int, height: Int, period s: Int) -> [Float] {
        let kernel = boxTimesBox(s)
        let reach = s - 1
        var rows = [Float](repeating: 0, count: map.count)
        for y in 0..<height {
            for x in reach..<max(reach, width - reach) {
                var acc: Float = 0
                for k in 0..<kernel.count { acc += kernel[k] * map[y * width + x - reach + k] }
                rows[y * width + x] = acc
            }
        }
        var out = [Float](repeating: 0, count: map.count)
        for y in reach..<max(reach, height - reach) {
            for x in 0..<width {
                var acc: Float = 0
                for k in 0..<kernel.count { acc += kernel[k] * rows[(y - reach + k) * width + x] }
                out[y * width + x] = acc
            }
        }
        return out
    }

    /// box_s * box_s: the triangle 1, 2, …, s, …, 2, 1 over s² (length 2s − 1, sums to 1).
    static func boxTimesBox(_ s: Int) -> [Float] {
        (1...(2 * s - 1)).map { Float(min($0, 2 * s - $0)) / Float(s * s) }
    }
}
