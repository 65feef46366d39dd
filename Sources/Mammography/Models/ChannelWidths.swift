/// Channel counts for a width multiplier, exactly as the reference's `widths(w)`:
/// c(n) = max(1, ⌊n·w + 0.5⌋). Width 1.0 gives the seed's channel counts; 0.25 a quarter.
public struct ChannelWidths: Sendable, Equatable {
    public let multiplier: Double

    /// The widest network `makeModel` builds: four times the seed's channels (already a
    /// 2048-channel layer); wider ones would need tens of gigabytes of weights.
    public static let maximumMultiplier = 4.0

    /// True for the multipliers a network can be built with: finite, positive, at most `maximumMultiplier`.
    public static func isValid(_ multiplier: Double) -> Bool {
        multiplier.isFinite && multiplier > 0 && multiplier <= maximumMultiplier
    }

    public init(_ multiplier: Double) { self.multiplier = multiplier }

    public func callAsFunction(_ channels: Int) -> Int {
        let scaled = (Double(channels) * multiplier + 0.5).rounded(.down)
        // makeModel refuses invalid multipliers; this guard only keeps a direct caller from trapping.
        guard scaled.isFinite, scaled < Double(Int32.max) else { return scaled.isNaN ? 1 : Int(Int32.max) }
        return max(1, Int(scaled))
    }
}
