import Engine
import Foundation
/// What a film digitiser puts around the breast in DDSM scans, drawn on the displayed image
/// (values in [0, 1]) and only outside the breast: a text label (a bright tag with darker
/// letter strokes), a bright film-border strip along one edge, and translucent tape.
/// Each image with artifacts gets one to three of them.
struct FilmArtifacts {
    let label: Bool, border: Bool, tape: Bool

    init(generator: inout SeededGenerator) {
        var label = generator.chance(0.6), border = generator.chance(0.5), tape = generator.chance(0.4)
        if !label && !border && !tape { label = true }
        self.label = label; self.border = border; self.tape = tape
    }

    /// Draws into `display` wherever `outside[i]` (air, clear of the breast).
    func draw(into display: inout [Float], outside: [Bool], width: Int, height: Int, generator: inout SeededGenerator) {
        if border {
            let rows = max(2, Int(Double(height) * generator.uniform(0.01, 0.035)))
            let top = generator.chance(0.5)
            let level = Float(generator.uniform(0.85, 0.98))
            for r in 0..<rows {
                let y = top ? r : height - 1 - r
                for x in 0..<width where outside[y * width + x] { display[y * width + x] = level }
            }
        }
        if label {
            // A tag in a corner away from the chest wall, letters as a grid of bright/dark blocks.
            let tagWidth = Int(Double(width) * generator.uniform(0.14, 0.24))
            let tagHeight = Int(Double(height) * generator.uniform(0.05, 0.09))
            let x0 = width - tagWidth - Int(Double(width) * generator.uniform(0.02, 0.08))
            let y0 = generator.chance(0.5) ? Int(Double(height) * generator.uniform(0.04, 0.1))
                                           : height - tagHeight - Int(Double(height) * generator.uniform(0.04, 0.1))
            let tag = Float(generator.uniform(0.8, 0.95))
            let stroke = max(1, tagHeight / 7)
            var glyphs: [Bool] = (0..<64).map { _ in generator.chance(0.55) }
            glyphs[0] = true
            for y in max(0, y0)..<min(height, y0 + tagHeight) {
                for x in max(0, x0)..<min(width, x0 + tagWidth) where outside[y * width + x] {
                    let gx = (x - x0) / stroke, gy = (y - y0) / stroke
                    let inText = gy >= 1 && gy <= 5 && gx >= 1 && (gx % 4) != 0
                    let lit = inText && glyphs[(gx * 5 + gy) % 64]
                    display[y * width + x] = lit ? tag * 0.45 : tag
                }
            }
        }
        if tape {
            // A band across a corner on the side away from the chest wall, with slightly denser edges.
            let angle = generator.uniform(0.5, 1.1) * (generator.chance(0.5) ? 1 : -1)
            let bandWidth = Double(height) * generator.uniform(0.04, 0.08)
            let cx = Double(width) * generator.uniform(0.8, 0.95)
            let cy = generator.chance(0.5) ? Double(height) * 0.08 : Double(height) * 0.92
            let nx = -sin(angle), ny = cos(angle)
            let add = Float(generator.uniform(0.08, 0.2))
            for y in 0..<height {
                for x in 0..<width where outside[y * width + x] {
                    let d = abs((Double(x) - cx) * nx + (Double(y) - cy) * ny)
                    guard d < bandWidth / 2 else { continue }
                    let edge: Float = d > bandWidth / 2 - 1.5 ? 1.6 : 1
                    display[y * width + x] = min(1, display[y * width + x] + add * edge)
                }
            }
        }
    }
}
