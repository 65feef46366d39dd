/// An axis-aligned rectangle of whole pixels: columns x..<x+width, rows y..<y+height.
public struct PixelBox: Codable, Hashable, Sendable {
    public var x: Int
    public var y: Int
    public var width: Int
    public var height: Int

    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }

    /// Grown by `margin` pixels on every side, then clipped to a `bounds.width`×`bounds.height` image.
    public func expanded(by margin: Int, within bounds: (width: Int, height: Int)) -> PixelBox {
        let x0 = max(0, x - margin), y0 = max(0, y - margin)
        let x1 = min(bounds.width, x + width + margin), y1 = min(bounds.height, y + height + margin)
        return PixelBox(x: x0, y: y0, width: x1 - x0, height: y1 - y0)
    }

    /// The same box in an image of width `imageWidth` mirrored left–right.
    public func mirrored(imageWidth: Int) -> PixelBox {
        PixelBox(x: imageWidth - x - width, y: y, width: width, height: height)
    }
}
