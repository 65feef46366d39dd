import Engine
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A phantom mass (de Sisternes 2015; DIDSR/breastPhantom `breastMass`): a random-sphere
/// outline r(θ) = R/√(1+σ²)·exp(Σ_{l=2..4} a_l cos lθ + b_l sin lθ), coefficient variance
/// ∝ l⁻⁴, filled as a solid (path length ∝ √(1 − (r/r(θ))²): convex, densest at the centre),
/// and for spiculated masses 6–16 tapering, sometimes branching spicules from the border.
/// Its density is the gland's (the caller mixes it in as glandular tissue), so it is never
/// brighter than dense tissue of the same thickness.
struct SyntheticMass {
    let centerX: Double, centerY: Double
    /// R/√(1+σ²): the outline's scale.
    let scale: Double
    /// (a_l, b_l) for l = 2, 3, 4.
    let coefficients: [(Double, Double)]
    /// Spicule segments: (x0, y0, x1, y1, r0, r1), pixels.
    let spicules: [(Double, Double, Double, Double, Double, Double)]

    var isSpiculated: Bool { !spicules.isEmpty }

    init(centerX: Double, centerY: Double, radius: Double, spiculated: Bool, pixelMillimetres: Double,
         generator: inout SeededGenerator) {
        self.centerX = centerX; self.centerY = centerY
        let sigma2 = generator.uniform(0.02, 0.12)
        let norm = (2...4).reduce(0.0) { $0 + pow(Double($1), -4) }
        coefficients = (2...4).map { l in
            let sd = (sigma2 * pow(Double(l), -4) / norm / 2).squareRoot()
            return (sd * generator.gaussian(), sd * generator.gaussian())
        }
        scale = radius / (1 + sigma2).squareRoot()
        var segments: [(Double, Double, Double, Double, Double, Double)] = []
        if spiculated {
            let count = generator.int(in: 6...16)
            let baseRadius = max(0.6, 0.35 / pixelMillimetres)
            for _ in 0..<count {
                let angle = generator.uniform(0, 2 * Double.pi)
                let start = Self.border(angle, scale: scale, coefficients: coefficients) * 0.85
                let length = radius * generator.uniform(0.6, 2.0)
                let r0 = baseRadius * generator.uniform(1, 2)
                let direction = angle + generator.uniform(-0.2, 0.2)
                let sx = centerX + start * cos(angle), sy = centerY + start * sin(angle)
                let ex = sx + length * cos(direction), ey = sy + length * sin(direction)
                segments.append((sx, sy, ex, ey, r0, r0 * 0.3))
                if generator.chance(0.4) {
                    let t = generator.uniform(0.4, 0.7)
                    let bx = sx + t * (ex - sx), by = sy + t * (ey - sy)
                    let branch = direction + (generator.chance(0.5) ? 1 : -1) * generator.uniform(0.35, 0.6)
                    let branchLength = length * (1 - t) * generator.uniform(0.6, 1)
                    let br = r0 * (1 - 0.7 * t)
                    segments.append((bx, by, bx + branchLength * cos(branch), by + branchLength * sin(branch), br, br * 0.3))
                }
            }
        }
        spicules = segments
    }

    static func border(_ theta: Double, scale: Double, coefficients: [(Double, Double)]) -> Double {
        var exponent = 0.0
        for (index, (a, b)) in coefficients.enumerated() {
            let l = Double(index + 2)
            exponent += a * cos(l * theta) + b * sin(l * theta)
        }
        return scale * exp(exponent)
    }

    func borderRadius(_ theta: Double) -> Double { Self.border(theta, scale: scale, coefficients: coefficients) }

    /// Largest distance from the centre the solid reaches (spicules not included).
    var coreReach: Double {
        scale * exp(coefficients.reduce(0) { $0 + abs($1.0) + abs($1.1) }) + 1
    }

    /// Relative path length through the solid at pixel centre (x, y), in [0, 1].
    func core(x: Int, y: Int) -> Double {
        let dx = Double(x) + 0.5 - centerX, dy = Double(y) + 0.5 - centerY
        let r2 = dx * dx + dy * dy
        let border = borderRadius(atan2(dy, dx))
        guard r2 < border * border else { return 0 }
        return (1 - r2 / (border * border)).squareRoot()
    }

    /// Paints the spicules (chord lengths, pixels) into `painter`.
    func paintSpicules(into painter: inout TubePainter) {
        for s in spicules { painter.segment(s.0, s.1, s.2, s.3, r0: s.4, r1: s.5, gain: 1) }
    }
}
