/// The "global threshold" baseline: the single intensity cut that best separates lesion
/// pixels from the rest, found with the masks in hand (an upper bound for any fixed
/// threshold). A low Dice here shows that intensity alone cannot find the lesions.
public struct ThresholdBaseline: Codable, Equatable, Sendable {
    /// The best cut on model-input intensity, a multiple of 1/bins: lesion = intensity ≥ threshold
    /// (pixels are binned, so the cut falls on a bin's lower edge).
    public var threshold: Double
    /// Pooled Dice on positive images at that cut.
    public var dice: Double
    /// Flagged / all pixels of negative images at that cut (over breast pixels where
    /// intensity > `BreastMask.defaultThreshold`).
    public var negativeFalsePositiveRate: Double?

    /// Searches `bins` evenly spaced cuts in [0, 1) with one histogram pass per image.
    /// `images` hold intensities in [0, 1]; a mask is non-zero on lesion pixels.
    /// Throws when an image and its mask differ in size.
    public static func best(images: [[Float]], masks: [[UInt8]], bins: Int = 1024) throws -> ThresholdBaseline {
        guard images.count == masks.count else {
            throw EvaluationError("threshold baseline: \(images.count) images but \(masks.count) masks; give one mask per image")
        }
        // Per bin: lesion and non-lesion pixels of positive images, breast pixels of negative images.
        var lesion = [Int](repeating: 0, count: bins)
        var background = lesion, negative = lesion
        func bin(_ v: Float) -> Int { min(bins - 1, max(0, Int(v * Float(bins)))) }
        for (index, (image, mask)) in zip(images, masks).enumerated() {
            guard image.count == mask.count else {
                throw EvaluationError("threshold baseline: image \(index) has \(image.count) pixels but its mask \(mask.count); check the pairing")
            }
            if mask.contains(where: { $0 != 0 }) {
                for i in image.indices {
                    if mask[i] != 0 { lesion[bin(image[i])] += 1 } else { background[bin(image[i])] += 1 }
                }
            } else {
                for v in image where v > BreastMask.defaultThreshold { negative[bin(v)] += 1 }
            }
        }
        let totalLesion = lesion.reduce(0, +), totalNegative = negative.reduce(0, +)
        // Cut at bin b's lower edge: pixels in bins ≥ b are flagged. Walk from the top down.
        var best = ThresholdBaseline(threshold: 1, dice: 0, negativeFalsePositiveRate: totalNegative == 0 ? nil : 0)
        var tp = 0, fp = 0, negativeFlagged = 0
        for b in stride(from: bins - 1, through: 0, by: -1) {
            tp += lesion[b]; fp += background[b]; negativeFlagged += negative[b]
            let fn = totalLesion - tp
            guard let dice = ratio(2 * tp, 2 * tp + fp + fn) else { continue }
            if dice > best.dice {
                best = ThresholdBaseline(threshold: Double(b) / Double(bins), dice: dice,
                                         negativeFalsePositiveRate: ratio(negativeFlagged, totalNegative))
            }
        }
        return best
    }
}
