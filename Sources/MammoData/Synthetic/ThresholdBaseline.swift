/// The honesty baseline for a segmentation dataset: the best Dice that ONE global intensity
/// threshold reaches on the positive images, the threshold chosen on the data itself (an
/// upper bound for any threshold rule). Pooled over images: Dice = 2TP / (2TP + FP + FN).
public struct ThresholdBaseline: Sendable {
    /// Histograms over 4096 intensity bins (16-bit pixel >> 4) of lesion and non-lesion pixels.
    private var foreground = [Int](repeating: 0, count: 4096)
    private var background = [Int](repeating: 0, count: 4096)

    public init() {}

    /// Adds one image (16-bit) and its mask; images with an empty mask are ignored (positives only).
    public mutating func add(image: GrayImage, mask: GrayImage) {
        guard mask.hasForeground else { return }
        let shift = image.bitDepth == 16 ? 4 : 0
        for (value, label) in zip(image.pixels, mask.pixels) {
            let bin = min(4095, Int(value) >> shift)
            if label != 0 { foreground[bin] += 1 } else { background[bin] += 1 }
        }
    }

    public mutating func merge(_ other: ThresholdBaseline) {
        for bin in 0..<4096 { foreground[bin] += other.foreground[bin]; background[bin] += other.background[bin] }
    }

    /// The best pooled Dice over all thresholds "pixel ≥ t" (0 when no positive image was added).
    public var bestDice: Double {
        let lesionPixels = foreground.reduce(0, +)
        guard lesionPixels > 0 else { return 0 }
        var best = 0.0, truePositives = 0, falsePositives = 0
        for bin in stride(from: 4095, through: 0, by: -1) {
            truePositives += foreground[bin]; falsePositives += background[bin]
            best = max(best, 2 * Double(truePositives) / Double(truePositives + falsePositives + lesionPixels))
        }
        return best
    }
}
