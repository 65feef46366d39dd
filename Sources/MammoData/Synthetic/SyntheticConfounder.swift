import Engine
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A normal finding that looks like a mass: what makes radiologists recall women and networks
/// fire on normal images. Built from ellipsoids of glandular density, with the same size and
/// thickness range as masses, but with borders a mass does not have:
/// - `summation`: two or three overlapping glandular patches, densest where they overlap;
/// - `denseIsland`: three to six lobules with fat between them (concave, lobulated border);
/// - `lymphNode`: a small oval (< 1 cm) with a lucent fatty hilum, joined by a vessel.
struct SyntheticConfounder {
    enum Kind: String, CaseIterable { case summation, denseIsland = "dense-island", lymphNode = "lymph-node" }

    struct Ellipsoid {
        var x: Double, y: Double, a: Double, b: Double, cosAngle: Double, sinAngle: Double
        /// Relative thickness at the centre (negative: fat displacing tissue, the hilum).
        var weight: Double

        @inline(__always) func chord(_ px: Double, _ py: Double) -> Double {
            let dx = px - x, dy = py - y
            let u = (dx * cosAngle + dy * sinAngle) / a, v = (-dx * sinAngle + dy * cosAngle) / b
            let q = u * u + v * v
            return q < 1 ? (1 - q).squareRoot() : 0
        }
    }

    let kind: Kind
    let centerX: Double, centerY: Double
    let parts: [Ellipsoid]
    /// For lymph nodes: the hilum's direction (the vessel leaves the node there).
    let hilumAngle: Double

    init(kind: Kind, centerX: Double, centerY: Double, radius: Double, pixelMillimetres: Double,
         generator: inout SeededGenerator) {
        self.kind = kind; self.centerX = centerX; self.centerY = centerY
        func ellipsoid(_ x: Double, _ y: Double, _ a: Double, _ b: Double, _ angle: Double, _ weight: Double) -> Ellipsoid {
            Ellipsoid(x: x, y: y, a: a, b: b, cosAngle: cos(angle), sinAngle: sin(angle), weight: weight)
        }
        var parts: [Ellipsoid] = []
        var hilum = 0.0
        switch kind {
        case .summation:
            let count = generator.int(in: 2...3)
            for _ in 0..<count {
                let angle = generator.uniform(0, 2 * Double.pi), offset = radius * generator.uniform(0.3, 0.7)
                parts.append(ellipsoid(centerX + offset * cos(angle), centerY + offset * sin(angle),
                                       radius * generator.uniform(0.6, 1.0), radius * generator.uniform(0.3, 0.55),
                                       generator.uniform(0, Double.pi), generator.uniform(0.45, 0.7)))
            }
        case .denseIsland:
            let count = generator.int(in: 3...6)
            let start = generator.uniform(0, 2 * Double.pi)
            for index in 0..<count {
                let angle = start + 2 * Double.pi * Double(index) / Double(count) + generator.uniform(-0.3, 0.3)
                let offset = radius * generator.uniform(0.45, 0.75)
                let lobe = radius * generator.uniform(0.28, 0.42)
                parts.append(ellipsoid(centerX + offset * cos(angle), centerY + offset * sin(angle),
                                       lobe * generator.uniform(1, 1.4), lobe, angle, generator.uniform(0.7, 1)))
            }
        case .lymphNode:
            // < 1 cm long; reniform: an oval with fat pushed in from one side.
            let long = min(radius, 4.5 / pixelMillimetres * generator.uniform(0.7, 1.1))
            let short = long / generator.uniform(1.3, 1.8)
            let angle = generator.uniform(0, 2 * Double.pi)
            parts.append(ellipsoid(centerX, centerY, long, short, angle, generator.uniform(0.8, 1.0)))
            hilum = angle + Double.pi / 2 * (generator.chance(0.5) ? 1 : -1)
            let hx = centerX + 0.75 * short * cos(hilum), hy = centerY + 0.75 * short * sin(hilum)
            parts.append(ellipsoid(hx, hy, 0.45 * long, 0.45 * short, angle, -1.2))
        }
        self.parts = parts
        hilumAngle = hilum
    }

    var reach: Double { parts.map { hypot($0.x - centerX, $0.y - centerY) + max($0.a, $0.b) }.max()! + 1 }

    /// Relative thickness at pixel centre (x, y), in [0, 1] (0 where the hilum's fat wins).
    func core(x: Int, y: Int) -> Double {
        let px = Double(x) + 0.5, py = Double(y) + 0.5
        var sum = 0.0
        for part in parts { sum += part.weight * part.chord(px, py) }
        return min(1, max(0, sum))
    }
}
