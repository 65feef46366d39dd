import Engine
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Paints tube-like structures (vessels, ducts, spicules) seen in projection: the path length
/// through a cylinder of radius r at distance ρ from its axis is 2√(r² − ρ²). Values are
/// combined by maximum, so a tube crossing itself or its parent is not counted twice.
struct TubePainter {
    let width: Int, height: Int
    var values: [Float]

    init(width: Int, height: Int) {
        self.width = width; self.height = height
        values = [Float](repeating: 0, count: width * height)
    }

    /// One straight segment from (x0, y0) to (x1, y1), radius tapering from r0 to r1 (pixels);
    /// the painted value is `gain` · chord, chord in pixels.
    mutating func segment(_ x0: Double, _ y0: Double, _ x1: Double, _ y1: Double, r0: Double, r1: Double, gain: Double) {
        let reach = max(r0, r1) + 1
        let minX = max(0, Int(min(x0, x1) - reach)), maxX = min(width - 1, Int(max(x0, x1) + reach))
        let minY = max(0, Int(min(y0, y1) - reach)), maxY = min(height - 1, Int(max(y0, y1) + reach))
        guard minX <= maxX, minY <= maxY else { return }
        let vx = x1 - x0, vy = y1 - y0
        let length2 = max(1e-12, vx * vx + vy * vy)
        for y in minY...maxY {
            let py = Double(y) + 0.5
            for x in minX...maxX {
                let px = Double(x) + 0.5
                let t = max(0, min(1, ((px - x0) * vx + (py - y0) * vy) / length2))
                let cx = x0 + t * vx - px, cy = y0 + t * vy - py
                let rho2 = cx * cx + cy * cy
                let r = r0 + (r1 - r0) * t
                guard rho2 < r * r else { continue }
                let value = Float(gain * 2 * (r * r - rho2).squareRoot())
                let index = y * width + x
                if value > values[index] { values[index] = value }
            }
        }
    }

    /// A curved tube: a random walk of `steps` segments of `stepLength` from (x, y) heading
    /// `angle`, turning by up to `wiggle` radians per step, radius tapering from r0 to r1.
    /// Returns the end point and heading.
    @discardableResult
    mutating func curve(x: Double, y: Double, angle: Double, steps: Int, stepLength: Double, wiggle: Double,
                        r0: Double, r1: Double, gain: Double, generator: inout SeededGenerator) -> (Double, Double, Double) {
        var x = x, y = y, angle = angle, turn = 0.0
        for step in 0..<steps {
            turn = 0.7 * turn + generator.uniform(-wiggle, wiggle)
            angle += turn
            let nx = x + stepLength * cos(angle), ny = y + stepLength * sin(angle)
            let a = Double(step) / Double(steps), b = Double(step + 1) / Double(steps)
            segment(x, y, nx, ny, r0: r0 + (r1 - r0) * a, r1: r0 + (r1 - r0) * b, gain: gain)
            x = nx; y = ny
        }
        return (x, y, angle)
    }
}
