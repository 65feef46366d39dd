/// A 256-entry perceptual colour table, built by linear interpolation (in sRGB) between
/// published anchor colours. The anchors are close enough (every 0.1) that the linear
/// segments stay within a couple of code values of the original table.
public struct Colormap: Sendable {
    /// `table[3·i ..< 3·i + 3]` is the RGB colour of value i / 255.
    public let table: [UInt8]

    /// Interpolates evenly spaced `anchors` (RGB, first = value 0, last = value 1).
    public init(anchors: [(UInt8, UInt8, UInt8)]) {
        precondition(anchors.count >= 2, "Colormap: needs at least two anchors")
        var table = [UInt8]()
        table.reserveCapacity(256 * 3)
        let segments = Double(anchors.count - 1)
        for i in 0..<256 {
            let position = Double(i) / 255 * segments
            let k = min(Int(position), anchors.count - 2)
            let t = position - Double(k)
            let a = anchors[k], b = anchors[k + 1]
            for (lo, hi) in [(a.0, b.0), (a.1, b.1), (a.2, b.2)] {
                table.append(UInt8((Double(lo) + t * (Double(hi) - Double(lo))).rounded()))
            }
        }
        self.table = table
    }

    /// The colour of `value`, clamped to [0, 1] (NaN maps to 0).
    @inlinable public func color(_ value: Float) -> (r: UInt8, g: UInt8, b: UInt8) {
        let clamped = value.isNaN ? 0 : min(max(value, 0), 1)
        let i = Int((clamped * 255).rounded()) * 3
        return (table[i], table[i + 1], table[i + 2])
    }

    /// Viridis (van der Walt & Smith, matplotlib's default): perceptually uniform,
    /// readable in gray and by colour-blind readers. Anchors: viridis at 0, 0.1, …, 1.
    public static let viridis = Colormap(anchors: [
        (0x44, 0x01, 0x54), (0x48, 0x24, 0x75), (0x41, 0x44, 0x87), (0x35, 0x5f, 0x8d),
        (0x2a, 0x78, 0x8e), (0x21, 0x91, 0x8c), (0x22, 0xa8, 0x84), (0x44, 0xbf, 0x70),
        (0x7a, 0xd1, 0x51), (0xbd, 0xdf, 0x26), (0xfd, 0xe7, 0x25),
    ])
}
