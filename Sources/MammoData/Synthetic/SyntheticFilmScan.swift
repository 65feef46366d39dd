import Foundation
import Engine

/// A digitised-film mammogram with what real CBIS-DDSM scans put around the breast, and the
/// truth for each part: a half-elliptic breast (fading at the skin line) against the chest-wall
/// edge, a bright border strip along the whole top edge touching the breast, a bright text label
/// in the bottom corner away from the chest wall, a small marker, and noise. For testing breast detection and preprocessing.
public struct SyntheticFilmScan: Sendable {
    public var image: GrayImage
    public var breast: BinaryMask
    public var border: BinaryMask
    public var label: BinaryMask

    /// `chestWallLeft`: the breast against the left edge (a left breast as stored), else the right.
    /// `breastTop`: the row, as a fraction of the height, where the breast begins (0: at the top
    /// edge, so that even a thin border touches it).
    public init(width: Int, height: Int, chestWallLeft: Bool = true, borderFraction: Double = 0.03,
                breastTop: Double = 0.015, seed: UInt64 = 1) {
        var random = SeededGenerator(seed: seed, keys: 0xF11)
        var pixels = [UInt16](repeating: 0, count: width * height)
        var breast = BinaryMask(width: width, height: height)
        var border = BinaryMask(width: width, height: height)
        var label = BinaryMask(width: width, height: height)
        let centreY = (breastTop + 0.455) * Double(height), semiX = 0.62 * Double(width), semiY = 0.455 * Double(height)
        let borderRows = max(2, Int(borderFraction * Double(height)))
        // The label sits in the bottom corner away from the chest wall, clear of the breast.
        let labelWidth = Int(0.2 * Double(width))
        let labelBox = PixelBox(x: chestWallLeft ? Int(0.72 * Double(width)) : width - Int(0.72 * Double(width)) - labelWidth,
                                y: Int(0.88 * Double(height)), width: labelWidth, height: Int(0.06 * Double(height)))
        for y in 0..<height {
            for x in 0..<width {
                let fromWall = Double(chestWallLeft ? x : width - 1 - x)
                let dx = fromWall / semiX, dy = (Double(y) - centreY) / semiY
                let r = (dx * dx + dy * dy).squareRoot()
                var value = 1800 + 400 * random.gaussian()  // film base + fog
                if r < 1 {
                    // Thick at the chest wall, thinning to the skin line; tissue texture as noise.
                    let thickness = min(1, (1 - r) * 6)
                    let texture = 0.5 + 0.5 * sin(Double(x) * 0.05) * cos(Double(y) * 0.031)
                    value = 9000 + thickness * (16000 + 9000 * texture) + 1500 * random.gaussian()
                    breast[x, y] = true
                }
                if y < borderRows {
                    value = 60000 + 800 * random.gaussian(); border[x, y] = true; breast[x, y] = false
                }
                let inLabel = x >= labelBox.x && x < labelBox.x + labelBox.width && y >= labelBox.y && y < labelBox.y + labelBox.height
                if inLabel {
                    // Letters: bright strokes on a bright tag.
                    let stroke = (x / max(1, width / 100)) % 3 != 0 && (y / max(1, height / 200)) % 4 != 0
                    value = stroke ? 63000 : 52000
                    label[x, y] = true
                }
                pixels[y * width + x] = UInt16(min(65535, max(0, value.rounded())))
            }
        }
        // A lead marker: a small bright disc in the background, off the breast.
        let markerX = chestWallLeft ? Int(0.85 * Double(width)) : Int(0.15 * Double(width))
        let markerY = Int(0.2 * Double(height)), markerR = max(2, width / 80)
        for y in max(0, markerY - markerR)...min(height - 1, markerY + markerR) {
            for x in max(0, markerX - markerR)...min(width - 1, markerX + markerR)
            where (x - markerX) * (x - markerX) + (y - markerY) * (y - markerY) <= markerR * markerR && !breast[x, y] {
                pixels[y * width + x] = 64000; label[x, y] = true
            }
        }
        image = GrayImage(width: width, height: height, bitDepth: 16, pixels: pixels)
        self.breast = breast; self.border = border; self.label = label
    }
}
