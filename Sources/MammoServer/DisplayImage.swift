import Foundation
import MammoData

/// What the page draws of one image: a copy averaged down to `displayMaxSide` (blocks of `factor`²
/// pixels, 16-bit, dense tissue bright), the windows to offer, and which side the chest wall is on.
struct DisplayImage: Codable, Sendable {
    var width: Int
    var height: Int
    var sourceWidth: Int
    var sourceHeight: Int
    var factor: Int
    var photometric: String
    var chestWallOnRight: Bool
    var presets: [WindowPreset]

    /// Pixels of the display copy, row-major.
    typealias Pixels = [UInt16]

    /// The display copy of a full image (`image` already mapped to dense-bright 8 or 16 bits).
    static func make(from image: GrayImage, filePresets: [WindowPreset], photometric: String,
                     maxSide: Int) -> (DisplayImage, Pixels) {
        let scale = image.bitDepth == 8 ? 257 : 1
        let factor = max(1, (max(image.width, image.height) + maxSide - 1) / maxSide)
        let (w, h) = ((image.width + factor - 1) / factor, (image.height + factor - 1) / factor)
        var out = Pixels(repeating: 0, count: w * h)
        image.pixels.withUnsafeBufferPointer { source in
            for y in 0..<h {
                let y0 = y * factor, y1 = min(y0 + factor, image.height)
                for x in 0..<w {
                    let x0 = x * factor, x1 = min(x0 + factor, image.width)
                    var sum = 0
                    for sy in y0..<y1 { for sx in x0..<x1 { sum += Int(source[sy * image.width + sx]) } }
                    out[y * w + x] = UInt16(min(65535, sum * scale / ((y1 - y0) * (x1 - x0))))
                }
            }
        }
        let presets = filePresets + [WindowPreset.automatic(out), .full]
        let meta = DisplayImage(width: w, height: h, sourceWidth: image.width, sourceHeight: image.height, factor: factor,
                                photometric: photometric, chestWallOnRight: Orientation.rightHalfIsBrighter(image),
                                presets: presets)
        return (meta, out)
    }

    /// The probability map averaged over the same blocks, as bytes round(p · 255).
    func downsample(probability: [Float]) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: width * height)
        probability.withUnsafeBufferPointer { p in
            for y in 0..<height {
                let y0 = y * factor, y1 = min(y0 + factor, sourceHeight)
                for x in 0..<width {
                    let x0 = x * factor, x1 = min(x0 + factor, sourceWidth)
                    var sum: Float = 0
                    for sy in y0..<y1 { for sx in x0..<x1 { sum += p[sy * sourceWidth + sx] } }
                    let mean = sum / Float((y1 - y0) * (x1 - x0))
                    out[y * width + x] = UInt8((mean.isNaN ? 0 : min(max(mean, 0), 1) * 255).rounded())
                }
            }
        }
        return out
    }
}
