/// Channel counts for a width multiplier, exactly as the reference's `widths(w)`:
/// c(n) = max(1, ⌊n·w + 0.5⌋). Width 1.0 gives the seed's channel counts; 0.25 a quarter.
public struct ChannelWidths: Sendable, Equatable {
    public let multiplier: Double

    public init(_ multiplier: Double) { self.multiplier = multiplier }

    public func callAsFunction(_ channels: Int) -> Int {
        max(1, Int((Double(channels) * multiplier + 0.5).rounded(.down)))
    }
}
