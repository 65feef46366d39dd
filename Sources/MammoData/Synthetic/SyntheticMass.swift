/// A phantom mass: Burgess's "designer nodule" profile C·(1 − (r/R(θ))²)^1.5 with an
/// irregular border R(θ) = R₀·(1 + Σₖ aₖ cos(kθ + φₖ)), optionally with spicules — thin
/// tapering lines radiating from the border. Its mask is exactly the support of the signal
/// it adds (core plus spicules).
struct SyntheticMass {
    let centerX: Double, centerY: Double
    let baseRadius: Double
    /// Harmonics k = 2…6 of the border: (amplitude, phase).
    let harmonics: [(Double, Double)]
    /// Spicules: (angle, length, half-width) in radians / pixels.
    let spicules: [(Double, Double, Double)]
    /// Peak contrast (fraction of the local mean intensity), 0.15–0.35. The profile
    /// (1 − (r/R)²)^1.5 averages 0.4 of its peak, so a mass is on average 6–14 % brighter than
    /// its surroundings: within the design's 2–15 %, and as bright as dense tissue. A peak of
    /// 2–15 % left masses invisible to the eye and unlearnable in a CPU-sized run.
    let contrast: Double

    var isSpiculated: Bool { !spicules.isEmpty }

    init(centerX: Double, centerY: Double, baseRadius: Double, spiculated: Bool, generator: inout SeededGenerator) {
        self.centerX = centerX; self.centerY = centerY; self.baseRadius = baseRadius
        harmonics = (2...6).map { k in (generator.uniform(0, 0.14) / Double(k).squareRoot(), generator.uniform(0, 2 * Double.pi)) }
        contrast = generator.uniform(0.15, 0.35)
        if spiculated {
            let count = generator.int(in: 6...14)
            spicules = (0..<count).map { _ in
                (generator.uniform(0, 2 * Double.pi), baseRadius * generator.uniform(0.6, 1.6), max(0.7, baseRadius * generator.uniform(0.04, 0.08)))
            }
        } else {
            spicules = []
        }
    }

    /// Border radius in direction θ.
    func borderRadius(_ theta: Double) -> Double {
        var factor = 1.0
        for (index, (amplitude, phase)) in harmonics.enumerated() {
            factor += amplitude * cos(Double(index + 2) * theta + phase)
        }
        return baseRadius * factor
    }

    /// Largest distance from the centre that can receive signal.
    var reach: Double {
        baseRadius * (1 + harmonics.reduce(0) { $0 + $1.0 }) + (spicules.map { $0.1 }.max() ?? 0) + 2
    }

    /// Signal profile in [0, 1] at pixel centre (x, y), before scaling by contrast · local mean.
    func profile(x: Int, y: Int) -> Double {
        let dx = Double(x) + 0.5 - centerX, dy = Double(y) + 0.5 - centerY
        let r = (dx * dx + dy * dy).squareRoot()
        var value = 0.0
        let border = borderRadius(atan2(dy, dx))
        if r < border {
            let q = 1 - (r / border) * (r / border)
            value = q * q.squareRoot()
        }
        for (angle, length, halfWidth) in spicules {
            // Along-spicule coordinate s from the border, and distance d from its axis.
            let start = borderRadius(angle) * 0.8
            let ux = cos(angle), uy = sin(angle)
            let s = dx * ux + dy * uy - start
            guard s >= 0, s < length else { continue }
            let d = abs(-dx * uy + dy * ux)
            let width = halfWidth * (1 - 0.5 * s / length)
            guard d < width else { continue }
            value = max(value, 0.5 * (1 - s / length) * (1 - (d / width) * (d / width)))
        }
        return value
    }
}

/// A cluster of 5–20 microcalcifications: small bright specks (paraboloid profile) within
/// a few millimetres. The mask is the specks' support.
struct SyntheticCalcificationCluster {
    /// (x, y, radius) per speck, in pixels.
    let specks: [(Double, Double, Double)]
    let contrast: Double

    init(centerX: Double, centerY: Double, clusterRadius: Double, pixelScale: Double, generator: inout SeededGenerator) {
        let count = generator.int(in: 5...20)
        specks = (0..<count).map { _ in
            let angle = generator.uniform(0, 2 * Double.pi)
            let distance = clusterRadius * generator.uniform(0, 1).squareRoot()
            // Centres on pixel centres so every speck covers at least one pixel.
            let x = (centerX + distance * cos(angle)).rounded(.down) + 0.5
            let y = (centerY + distance * sin(angle)).rounded(.down) + 0.5
            return (x, y, max(0.75, generator.uniform(0.6, 1.6) * pixelScale))
        }
        contrast = generator.uniform(0.12, 0.35)
    }

    var bounds: (minX: Double, minY: Double, maxX: Double, maxY: Double) {
        (specks.map { $0.0 - $0.2 }.min()!, specks.map { $0.1 - $0.2 }.min()!,
         specks.map { $0.0 + $0.2 }.max()!, specks.map { $0.1 + $0.2 }.max()!)
    }

    func profile(x: Int, y: Int) -> Double {
        var value = 0.0
        for (cx, cy, radius) in specks {
            let dx = Double(x) + 0.5 - cx, dy = Double(y) + 0.5 - cy
            let q = 1 - (dx * dx + dy * dy) / (radius * radius)
            if q > 0 { value = max(value, q) }
        }
        return value
    }
}

#if canImport(Glibc)
import Engine
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
