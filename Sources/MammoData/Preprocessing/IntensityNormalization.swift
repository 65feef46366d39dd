import Foundation

/// How prepared intensities are scaled. Stored as text in `dataset.json` and checkpoints:
/// `full-range`, `voi-window`, `breast-percentiles:LOW,HIGH` (percents).
public enum IntensityNormalization: Equatable, Sendable, Codable, CustomStringConvertible {
    /// The reader's mapping as is (DICOM: the stored range onto 0…65535; 8-bit files widened).
    case fullRange
    /// The DICOM file's first VOI window or VOI LUT (what a radiologist's viewer shows first).
    case voiWindow
    /// The breast's `low` … `high` percentiles stretched onto 0…65535, clipped (percent, 0…100).
    case breastPercentiles(low: Double, high: Double)

    public var description: String {
        switch self {
        case .fullRange: return "full-range"
        case .voiWindow: return "voi-window"
        case .breastPercentiles(let low, let high): return "breast-percentiles:\(low),\(high)"
        }
    }

    /// Parses the text form; nil when it is not one.
    public init?(text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        switch trimmed {
        case "full-range": self = .fullRange
        case "voi-window": self = .voiWindow
        default:
            let prefix = "breast-percentiles:"
            guard trimmed.hasPrefix(prefix) else { return nil }
            let numbers = trimmed.dropFirst(prefix.count).split(separator: ",").compactMap { Double($0) }
            guard numbers.count == 2, numbers[0] >= 0, numbers[0] < numbers[1], numbers[1] <= 100 else { return nil }
            self = .breastPercentiles(low: numbers[0], high: numbers[1])
        }
    }

    public init(from decoder: Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let parsed = IntensityNormalization(text: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                debugDescription: "'\(text)' is not full-range, voi-window or breast-percentiles:LOW,HIGH (0 ≤ LOW < HIGH ≤ 100)"))
        }
        self = parsed
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    /// Applies the breast-percentile stretch (the other cases change nothing here: the full range
    /// and the VOI window are chosen when the file is read).
    func apply(to image: inout GrayImage, breast: BinaryMask) {
        guard case .breastPercentiles(let low, let high) = self else { return }
        var values: [UInt16] = []
        values.reserveCapacity(breast.count)
        for i in 0..<image.pixels.count where breast.bits[i] { values.append(image.pixels[i]) }
        guard !values.isEmpty else { return }
        values.sort()
        func percentile(_ p: Double) -> Double {
            Double(values[min(values.count - 1, Int((p / 100 * Double(values.count - 1)).rounded()))])
        }
        let lo = percentile(low), hi = percentile(high)
        guard hi > lo else { return }
        let scale = 65535 / (hi - lo)
        for i in 0..<image.pixels.count where breast.bits[i] {
            image.pixels[i] = UInt16(min(65535, max(0, ((Double(image.pixels[i]) - lo) * scale).rounded())))
        }
    }
}
