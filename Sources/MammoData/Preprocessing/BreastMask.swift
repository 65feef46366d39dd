/// Finds the breast in a mammogram, robust to what film scans put around it: a bright border
/// strip (even one touching the breast), text labels, markers and tape.
///
/// Works on a copy whose longest side is `workingSide` (fast, and the radii below are fixed
/// fractions of it), lightly blurred (3×3, so per-pixel noise does not fray the skin line):
/// threshold (Otsu on the non-zero histogram, lowered halfway towards the background's mean
/// because the breast fades at the skin line), clear the bright borders along the edges
/// (`EdgeBorders`: wider than the opening removes), open with a square of side ≈ 4 % of the
/// longest side (cuts strips, tape and bridges to labels), keep the largest component (one
/// spanning a whole top or bottom edge counts for less: that is a border), fill holes, close,
/// fill again, and scale back up (bilinear, cut at one half). The borders are then found again
/// at the source's resolution and cleared there, so that no border pixel is breast: where a
/// border touches the breast, the scaled-up edge would otherwise stray into it by up to a
/// working pixel (9 source pixels at 4700 rows).
public enum BreastMask {
    public static let workingSide = 512

    /// The breast mask at the image's own size. An image with no usable contrast (blank, or
    /// too small to hold a breast) gives a full mask: everything counts as breast.
    public static func detect(in image: GrayImage) -> BinaryMask {
        let longest = max(image.width, image.height)
        let factor = longest > workingSide ? Double(workingSide) / Double(longest) : 1
        let small = Resampling.areaAverage(image, width: max(1, Int((Double(image.width) * factor).rounded())),
                                           height: max(1, Int((Double(image.height) * factor).rounded())))
        guard let (working, threshold) = detectWorking(boxBlurred(small)) else {
            return BinaryMask(width: image.width, height: image.height, filled: true)
        }
        var mask = working.resized(width: image.width, height: image.height)
        EdgeBorders(image, above: threshold).clear(&mask)
        return mask
    }

    /// The mask at the working copy's size and the threshold it used, or nil when nothing
    /// stands out of the background.
    static func detectWorking(_ small: GrayImage) -> (mask: BinaryMask, threshold: UInt16)? {
        guard min(small.width, small.height) >= 8, let threshold = skinLineThreshold(small) else { return nil }
        var bright = BinaryMask(width: small.width, height: small.height, bits: small.pixels.map { $0 > threshold })
        EdgeBorders(bright).clear(&bright)
        let longest = max(small.width, small.height)
        let radius = max(1, Int((0.02 * Double(longest)).rounded()))
        let opened = bright.opened(radius: radius)
        guard var breast = largestComponent(opened) else { return nil }
        breast = breast.filledHoles().closed(radius: max(1, radius / 2)).filledHoles()
        return (breast, threshold)
    }

    /// A 3×3 box average (edges averaged over the pixels inside); zeros stay zero, so padding
    /// is still recognised as such by the threshold.
    static func boxBlurred(_ image: GrayImage) -> GrayImage {
        let width = image.width, height = image.height
        var out = image
        for y in 0..<height {
            for x in 0..<width where image.pixels[y * width + x] != 0 {
                var sum = 0, count = 0
                for yy in max(0, y - 1)...min(height - 1, y + 1) {
                    for xx in max(0, x - 1)...min(width - 1, x + 1) { sum += Int(image.pixels[yy * width + xx]); count += 1 }
                }
                out.pixels[y * width + x] = UInt16(sum / count)
            }
        }
        return out
    }

    /// Otsu's threshold over the non-zero values, moved halfway down to the mean of the class below it.
    static func skinLineThreshold(_ image: GrayImage) -> UInt16? {
        let binCount = 1024
        var low = UInt16.max, high: UInt16 = 0
        for v in image.pixels where v > 0 { low = min(low, v); high = max(high, v) }
        guard high > low else { return nil }
        let span = Double(high - low) + 1
        func bin(_ v: UInt16) -> Int { min(binCount - 1, Int(Double(v - low) / span * Double(binCount))) }
        func value(_ b: Int) -> Double { Double(low) + (Double(b) + 0.5) * span / Double(binCount) }
        var histogram = [Double](repeating: 0, count: binCount)
        for v in image.pixels where v > 0 { histogram[bin(v)] += 1 }
        let total = histogram.reduce(0, +)
        let totalSum = histogram.enumerated().reduce(0) { $0 + $1.element * value($1.offset) }
        var weightBelow = 0.0, sumBelow = 0.0, best = -1.0, bestBin = 0
        for b in 0..<(binCount - 1) {
            weightBelow += histogram[b]; sumBelow += histogram[b] * value(b)
            let weightAbove = total - weightBelow
            guard weightBelow > 0, weightAbove > 0 else { continue }
            let meanBelow = sumBelow / weightBelow, meanAbove = (totalSum - sumBelow) / weightAbove
            let between = weightBelow * weightAbove * (meanBelow - meanAbove) * (meanBelow - meanAbove)
            if between > best { best = between; bestBin = b }
        }
        var weight = 0.0, sum = 0.0
        for b in 0...bestBin { weight += histogram[b]; sum += histogram[b] * value(b) }
        let otsu = Double(low) + Double(bestBin + 1) * span / Double(binCount)
        let lowered = weight > 0 ? (otsu + sum / weight) / 2 : otsu
        return UInt16(min(65535, max(0, lowered.rounded())))
    }

    /// The component with the most pixels; one that touches a whole top or bottom edge (≥ 90 %
    /// of the width) counts a quarter, since that is a border the opening could not cut off.
    static func largestComponent(_ mask: BinaryMask) -> BinaryMask? {
        let (labels, sizes) = mask.components()
        guard sizes.count > 1 else { return nil }
        var topSpan = [Int](repeating: 0, count: sizes.count), bottomSpan = topSpan
        let lastRow = (mask.height - 1) * mask.width
        for x in 0..<mask.width {
            topSpan[Int(labels[x])] += 1
            bottomSpan[Int(labels[lastRow + x])] += 1
        }
        var best = 0, bestScore = 0.0
        for label in 1..<sizes.count {
            let spansEdge = Double(max(topSpan[label], bottomSpan[label])) >= 0.9 * Double(mask.width)
            let score = Double(sizes[label]) * (spansEdge ? 0.25 : 1)
            if score > bestScore { bestScore = score; best = label }
        }
        return BinaryMask(width: mask.width, height: mask.height, bits: labels.map { Int($0) == best })
    }
}
