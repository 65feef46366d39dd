import Engine
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The adipose and glandular compartments of one tissue layer (the UPenn phantom's model,
/// Bakic 2011, in 2-D): seeds with anisotropic covariance, elongated towards the nipple; each
/// pixel belongs to the seed with the highest score −½‖Rᵢ(x − μᵢ)‖² − log(σ₁σ₂); the borders
/// between compartments are the Cooper's ligaments. Labels are computed at quarter resolution on
/// coordinates warped by low-frequency sinusoids, then refined at full resolution among the
/// neighbouring cells' candidates, so the borders are one pixel wide and not blocky.
struct TissueCompartments {
    struct Seed {
        var x: Double, y: Double
        /// Unit vector of the long axis, and the two axis lengths (pixels).
        var cosAngle: Double, sinAngle: Double
        var long: Double, short: Double
        var logNorm: Double
    }

    let width: Int, height: Int
    /// Compartment index per pixel (−1 outside the breast).
    private(set) var label: [Int32]
    /// Squared normalised distance ‖Rᵢ(x − μᵢ)‖² of each pixel from its compartment's seed:
    /// 0 at the centre, growing towards the ligaments.
    private(set) var distance: [Float]
    let seeds: [Seed]

    init(outline: BreastOutline, inside: [Bool], generator: inout SeededGenerator) {
        width = outline.width; height = outline.height
        let nippleX = outline.depth, nippleY = outline.centerY
        // Compartments about 12 mm across (≈ 14 px at 256²), 25–45 per breast.
        let count = generator.int(in: 25...45)
        let typical = (Double.pi * outline.depth * outline.halfHeight / 2 / Double(count) / Double.pi).squareRoot()
        var seeds: [Seed] = []
        var attempts = 0
        while seeds.count < count && attempts < 10_000 {
            attempts += 1
            let x = generator.uniform(0, outline.depth), y = generator.uniform(outline.centerY - outline.halfHeight,
                                                                             outline.centerY + outline.halfHeight)
            let u = x / outline.depth, v = abs(y - outline.centerY) / outline.halfHeight
            guard pow(u, outline.exponent) + pow(v, outline.exponent) < 1.05 else { continue }
            let angle = atan2(nippleY - y, nippleX - x) + generator.uniform(-0.35, 0.35)
            let ratio: Double = generator.uniform(1.0, 4.0)
            let size = typical * generator.uniform(0.7, 1.4)
            let long = size * ratio.squareRoot(), short = size / ratio.squareRoot()
            seeds.append(Seed(x: x, y: y, cosAngle: cos(angle), sinAngle: sin(angle), long: long, short: short,
                              logNorm: -log(long * short)))
        }
        self.seeds = seeds

        // Warp: three low-frequency sinusoids per axis, amplitude about a third of a compartment.
        var warps: [(Double, Double, Double, Double)] = []
        for _ in 0..<6 {
            let period = typical * generator.uniform(2.5, 6)
            let direction = generator.uniform(0, 2 * Double.pi)
            warps.append((2 * Double.pi / period * cos(direction), 2 * Double.pi / period * sin(direction),
                          generator.uniform(0, 2 * Double.pi), typical * generator.uniform(0.1, 0.25)))
        }
        let factor = 4
        let halfWidth = (width + factor - 1) / factor, halfHeight = (height + factor - 1) / factor
        var dxHalf = [Double](repeating: 0, count: halfWidth * halfHeight)
        var dyHalf = dxHalf
        var labelHalf = [Int32](repeating: -1, count: halfWidth * halfHeight)
        func score(_ s: Seed, _ px: Double, _ py: Double) -> Double {
            let dx = px - s.x, dy = py - s.y
            let a = (dx * s.cosAngle + dy * s.sinAngle) / s.long
            let b = (-dx * s.sinAngle + dy * s.cosAngle) / s.short
            return -0.5 * (a * a + b * b) + s.logNorm
        }
        for hy in 0..<halfHeight {
            for hx in 0..<halfWidth {
                let px = Double(factor * hx) + Double(factor) / 2, py = Double(factor * hy) + Double(factor) / 2
                var dx = 0.0, dy = 0.0
                for (index, w) in warps.enumerated() {
                    let value = w.3 * sin(w.0 * px + w.1 * py + w.2)
                    if index < 3 { dx += value } else { dy += value }
                }
                dxHalf[hy * halfWidth + hx] = dx; dyHalf[hy * halfWidth + hx] = dy
                let x0 = min(width - 1, factor * hx), y0 = min(height - 1, factor * hy)
                let near = outline.radius(x: x0, y: y0) < 1.15
                guard near else { continue }
                var best = -Double.infinity, bestIndex: Int32 = -1
                for (index, seed) in seeds.enumerated() {
                    let s = score(seed, px + dx, py + dy)
                    if s > best { best = s; bestIndex = Int32(index) }
                }
                labelHalf[hy * halfWidth + hx] = bestIndex
            }
        }
        // Full resolution: the best of the candidates of the 2×2 nearest half-resolution cells.
        var label = [Int32](repeating: -1, count: width * height)
        var distance = [Float](repeating: 0, count: width * height)
        for y in 0..<height {
            let fy = max(0, min(Double(halfHeight - 1), (Double(y) + 0.5) / Double(factor) - 0.5))
            let hy0 = Int(fy), hy1 = min(halfHeight - 1, hy0 + 1), ty = fy - Double(hy0)
            for x in 0..<width where inside[y * width + x] {
                let fx = max(0, min(Double(halfWidth - 1), (Double(x) + 0.5) / Double(factor) - 0.5))
                let hx0 = Int(fx), hx1 = min(halfWidth - 1, hx0 + 1), tx = fx - Double(hx0)
                let i00 = hy0 * halfWidth + hx0, i01 = hy0 * halfWidth + hx1
                let i10 = hy1 * halfWidth + hx0, i11 = hy1 * halfWidth + hx1
                let dx = (dxHalf[i00] * (1 - tx) + dxHalf[i01] * tx) * (1 - ty) + (dxHalf[i10] * (1 - tx) + dxHalf[i11] * tx) * ty
                let dy = (dyHalf[i00] * (1 - tx) + dyHalf[i01] * tx) * (1 - ty) + (dyHalf[i10] * (1 - tx) + dyHalf[i11] * tx) * ty
                let px = Double(x) + 0.5 + dx, py = Double(y) + 0.5 + dy
                var best = -Double.infinity, bestIndex: Int32 = -1
                for candidate in [labelHalf[i00], labelHalf[i01], labelHalf[i10], labelHalf[i11]] where candidate >= 0 {
                    let s = score(seeds[Int(candidate)], px, py)
                    if s > best { best = s; bestIndex = candidate }
                }
                label[y * width + x] = bestIndex
                if bestIndex >= 0 { distance[y * width + x] = Float(-2 * (best - seeds[Int(bestIndex)].logNorm)) }
            }
        }
        self.label = label
        self.distance = distance
    }

    /// Whether pixel (x, y) lies on a border between two compartments (a ligament), one pixel wide.
    @inline(__always) func isBorder(x: Int, y: Int) -> Bool {
        let own = label[y * width + x]
        guard own >= 0 else { return false }
        if x + 1 < width, label[y * width + x + 1] >= 0, label[y * width + x + 1] != own { return true }
        if y + 1 < height, label[(y + 1) * width + x] >= 0, label[(y + 1) * width + x] != own { return true }
        return false
    }
}
