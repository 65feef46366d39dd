import Engine
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

// Realism: texture statistics of mammograms measured the way they were measured on real
// CBIS-DDSM full-field images (notes/phantoms.md), so phantoms can be held against them.

/// Per-patch texture statistics of one mammogram, by the definition:
/// the longer side scaled to 512 px by a box (area-averaging) filter; breast = pixels above
/// 15 % of the scaled image's maximum; 64×64 patches at a 32-px stride lying wholly inside
/// the breast; per patch CV = std/mean (population std) and β = −slope of the least-squares
/// line through log radially-averaged power against log radius, radii 3–16 cycles/patch (each
/// frequency binned to its nearest integer radius), of the mean-removed, Hann-windowed
/// (symmetric, numpy's `hanning(64)`) patch's |FFT|². `scripts/realism_metrics.py` is the
/// independent numpy implementation the tests compare against.
public enum TextureRealism {
    public static let longerSide = 512
    public static let breastFraction = 0.15
    public static let patchSide = 64
    public static let stride = 32
    public static let radii = 3...16

    public struct Patch: Sendable, Equatable {
        public var x: Int, y: Int
        public var cv: Double
        public var beta: Double
    }

    /// The patches of `image` (any bit depth); empty when none lies wholly inside the breast.
    public static func patches(_ image: GrayImage) -> [Patch] {
        let (values, width, height) = boxScaled(image.pixels.map(Double.init), width: image.width, height: image.height)
        let maximum = values.max() ?? 0
        let cut = breastFraction * maximum
        let fft = FFT(count: patchSide)
        let window = (0..<patchSide).map { 0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(patchSide - 1)) }
        var result: [Patch] = []
        var y = 0
        while y + patchSide <= height {
            var x = 0
            while x + patchSide <= width {
                defer { x += stride }
                var inside = true
                var sum = 0.0
                check: for py in y..<(y + patchSide) {
                    for px in x..<(x + patchSide) {
                        let v = values[py * width + px]
                        if !(v > cut) { inside = false; break check }
                        sum += v
                    }
                }
                guard inside else { continue }
                let n = Double(patchSide * patchSide)
                let mean = sum / n
                var squares = 0.0
                for py in y..<(y + patchSide) { for px in x..<(x + patchSide) {
                    let d = values[py * width + px] - mean; squares += d * d
                } }
                let cv = (squares / n).squareRoot() / mean
                var real = [Double](repeating: 0, count: patchSide * patchSide)
                var imag = real
                for py in 0..<patchSide { for px in 0..<patchSide {
                    real[py * patchSide + px] = (values[(y + py) * width + x + px] - mean) * window[py] * window[px]
                } }
                fft.transform2D(real: &real, imag: &imag, inverse: false)
                result.append(Patch(x: x, y: y, cv: cv, beta: spectralExponent(real: real, imag: imag)))
            }
            y += stride
        }
        return result
    }

    /// −slope of log(mean power per integer radius) against log(radius), over `radii`.
    static func spectralExponent(real: [Double], imag: [Double]) -> Double {
        let n = patchSide
        var power = [Double](repeating: 0, count: radii.upperBound + 1)
        var counts = [Int](repeating: 0, count: radii.upperBound + 1)
        for v in 0..<n {
            let fy = Double(v < n / 2 ? v : v - n)
            for u in 0..<n {
                let fx = Double(u < n / 2 ? u : u - n)
                let bin = Int((fx * fx + fy * fy).squareRoot().rounded())
                guard radii.contains(bin) else { continue }
                let i = v * n + u
                power[bin] += real[i] * real[i] + imag[i] * imag[i]
                counts[bin] += 1
            }
        }
        let xs = radii.map { log(Double($0)) }
        let ys = radii.map { log(power[$0] / Double(counts[$0])) }
        let mx = xs.reduce(0, +) / Double(xs.count), my = ys.reduce(0, +) / Double(ys.count)
        var sxy = 0.0, sxx = 0.0
        for (x, y) in zip(xs, ys) { sxy += (x - mx) * (y - my); sxx += (x - mx) * (x - mx) }
        return -sxy / sxx
    }

    /// Area-averaging resize so the longer side is `longerSide` (the shorter rounded half up);
    /// images whose longer side is already `longerSide` or less are returned unchanged.
    static func boxScaled(_ values: [Double], width: Int, height: Int) -> ([Double], Int, Int) {
        let longer = max(width, height)
        guard longer > longerSide else { return (values, width, height) }
        let factor = Double(longer) / Double(longerSide)
        let newWidth = width == longer ? longerSide : max(1, Int((Double(width) / factor).rounded(.toNearestOrAwayFromZero)))
        let newHeight = height == longer ? longerSide : max(1, Int((Double(height) / factor).rounded(.toNearestOrAwayFromZero)))
        let columns = boxWeights(from: width, to: newWidth)
        let rows = boxWeights(from: height, to: newHeight)
        var horizontal = [Double](repeating: 0, count: newWidth * height)
        for y in 0..<height {
            for (ox, taps) in columns.enumerated() {
                var sum = 0.0
                for (ix, w) in taps { sum += w * values[y * width + ix] }
                horizontal[y * newWidth + ox] = sum
            }
        }
        var out = [Double](repeating: 0, count: newWidth * newHeight)
        for (oy, taps) in rows.enumerated() {
            for x in 0..<newWidth {
                var sum = 0.0
                for (iy, w) in taps { sum += w * horizontal[iy * newWidth + x] }
                out[oy * newWidth + x] = sum
            }
        }
        return (out, newWidth, newHeight)
    }

    /// For each output sample, the input samples its interval [o·s, (o+1)·s) overlaps, s = from/to,
    /// weighted by overlap length / s.
    static func boxWeights(from: Int, to: Int) -> [[(Int, Double)]] {
        let s = Double(from) / Double(to)
        return (0..<to).map { o in
            let start = Double(o) * s, end = Double(o + 1) * s
            var taps: [(Int, Double)] = []
            var i = Int(start.rounded(.down))
            while Double(i) < end && i < from {
                let overlap = min(end, Double(i + 1)) - max(start, Double(i))
                if overlap > 0 { taps.append((i, overlap / s)) }
                i += 1
            }
            return taps
        }
    }
}
