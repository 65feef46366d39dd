import Engine
import Foundation
/// A cluster of 5–20 microcalcifications: small specks (paraboloid profile) within a few
/// millimetres. Calcium attenuates far more than tissue, so specks are the one finding
/// brighter than gland. The mask is the specks' support.
struct SyntheticCalcificationCluster {
    /// (x, y, radius) per speck, in pixels.
    let specks: [(Double, Double, Double)]
    /// Peak added attenuation, in units of full-thickness gland contrast.
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
        contrast = generator.uniform(0.5, 1.2)
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
