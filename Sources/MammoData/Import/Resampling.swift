/// Resizing for importers: area averaging for images (every source pixel contributes in
/// proportion to the area it covers, so downscaling does not alias), nearest neighbour for
/// masks (labels are never blended).
public enum Resampling {
    /// How an importer scales its images.
    public enum Scale: Equatable, Sendable, CustomStringConvertible {
        case original
        /// The longer side becomes this many pixels (aspect kept).
        case longestSide(Int)
        /// Both sides are multiplied by this factor.
        case factor(Double)

        /// Output size for a `width`×`height` input (at least 1×1).
        public func size(width: Int, height: Int) -> (width: Int, height: Int) {
            switch self {
            case .original: return (width, height)
            case .longestSide(let side):
                let factor = Double(side) / Double(max(width, height))
                return (max(1, Int((Double(width) * factor).rounded())), max(1, Int((Double(height) * factor).rounded())))
            case .factor(let factor):
                return (max(1, Int((Double(width) * factor).rounded())), max(1, Int((Double(height) * factor).rounded())))
            }
        }

        public var description: String {
            switch self {
            case .original: return "original"
            case .longestSide(let side): return "longest-side \(side)"
            case .factor(let factor): return "factor \(factor)"
            }
        }
    }

    /// Area-average resize (separable box integration; exact for any ratio, also upscaling).
    public static func areaAverage(_ image: GrayImage, width: Int, height: Int) -> GrayImage {
        if width == image.width && height == image.height { return image }
        let horizontal = weights(source: image.width, target: width)
        let vertical = weights(source: image.height, target: height)
        // Rows first (image.height × width), then columns.
        var rows = [Float](repeating: 0, count: image.height * width)
        image.pixels.withUnsafeBufferPointer { src in
            for y in 0..<image.height {
                let srcRow = y * image.width, dstRow = y * width
                for x in 0..<width {
                    var sum: Float = 0
                    for (index, weight) in horizontal[x] { sum += Float(src[srcRow + index]) * weight }
                    rows[dstRow + x] = sum
                }
            }
        }
        var out = [UInt16](repeating: 0, count: width * height)
        let maxValue = Float(image.maxValue)
        for y in 0..<height {
            for x in 0..<width {
                var sum: Float = 0
                for (index, weight) in vertical[y] { sum += rows[index * width + x] * weight }
                out[y * width + x] = UInt16(min(maxValue, max(0, sum.rounded())))
            }
        }
        return GrayImage(width: width, height: height, bitDepth: image.bitDepth, pixels: out)
    }

    /// Nearest-neighbour resize (pixel centres mapped to the source's).
    public static func nearest(_ image: GrayImage, width: Int, height: Int) -> GrayImage {
        if width == image.width && height == image.height { return image }
        let columns = (0..<width).map { min(image.width - 1, Int((Double($0) + 0.5) * Double(image.width) / Double(width))) }
        var out = [UInt16](repeating: 0, count: width * height)
        for y in 0..<height {
            let sy = min(image.height - 1, Int((Double(y) + 0.5) * Double(image.height) / Double(height)))
            for x in 0..<width { out[y * width + x] = image.pixels[sy * image.width + columns[x]] }
        }
        return GrayImage(width: width, height: height, bitDepth: image.bitDepth, pixels: out)
    }

    /// Whether two sizes have the same aspect ratio within `tolerance` (relative).
    public static func aspectMatches(_ a: (width: Int, height: Int), _ b: (width: Int, height: Int),
                                     tolerance: Double = 0.01) -> Bool {
        let ra = Double(a.width) / Double(a.height), rb = Double(b.width) / Double(b.height)
        return abs(ra - rb) <= tolerance * rb
    }

    /// For each target pixel, the source pixels it covers and their normalised weights.
    private static func weights(source: Int, target: Int) -> [[(Int, Float)]] {
        let step = Double(source) / Double(target)
        return (0..<target).map { t in
            let start = Double(t) * step, end = Double(t + 1) * step
            var list: [(Int, Float)] = []
            var index = Int(start.rounded(.down))
            while Double(index) < end && index < source {
                let covered = min(end, Double(index + 1)) - max(start, Double(index))
                if covered > 1e-9 { list.append((index, Float(covered / step))) }
                index += 1
            }
            return list
        }
    }
}
