import ArgumentParser
import Mammography

/// Range checks for numeric flags, so that a negative, zero, huge or NaN value is a one-line
/// error naming the flag before any work starts (NaN fails every comparison, so each check is
/// written as "must be inside", never "must not be outside").
enum FlagCheck {
    /// The most images a batch may hold: far beyond what fits in memory at any useful size.
    static let maximumBatch = 1024
    /// The most epochs, steps or batches a run may ask for.
    static let maximumCount = 1_000_000

    static func integer(_ value: Int, _ flag: String, in range: ClosedRange<Int>) throws {
        guard range.contains(value) else {
            throw ValidationError("\(flag) must be in \(range.lowerBound)…\(range.upperBound) (got \(value))")
        }
    }

    /// A finite number with `low < value ≤ high` (or `low ≤ value` when `includingLow`).
    static func number(_ value: Double, _ flag: String, above low: Double, atMost high: Double = .greatestFiniteMagnitude,
                       includingLow: Bool = false) throws {
        let aboveLow = includingLow ? value >= low : value > low
        guard value.isFinite, aboveLow, value <= high else {
            let highText = high == .greatestFiniteMagnitude ? "" : " and at most \(high)"
            throw ValidationError("\(flag) must be a finite number \(includingLow ? "≥" : ">") \(low)\(highText) (got \(value))")
        }
    }

    /// A channel-width multiplier the networks can be built with.
    static func width(_ value: Double, _ flag: String = "--width") throws {
        guard ChannelWidths.isValid(value) else {
            throw ValidationError("\(flag) must be in (0, \(ChannelWidths.maximumMultiplier)] (got \(value)); 1.0 is the seed's network")
        }
    }
}
