import MammoData

/// Drawing primitives for figures; everything clips to the image.
extension RGBImage {
    /// An image filled with one colour.
    public init(width: Int, height: Int, color: (UInt8, UInt8, UInt8)) {
        self.init(width: width, height: height)
        fill(x: 0, y: 0, width: width, height: height, color: color)
    }

    /// A gray image of `values` (`[height, width]`) mapped linearly from [low, high] to 0…255.
    public init(gray values: [Float], width: Int, height: Int, low: Float = 0, high: Float = 1) {
        let scale = high > low ? 255 / (high - low) : 0
        var bytes = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) {
            let v = values[i].isNaN ? 0 : min(max((values[i] - low) * scale, 0), 255)
            let byte = UInt8(v.rounded())
            bytes[3 * i] = byte; bytes[3 * i + 1] = byte; bytes[3 * i + 2] = byte
        }
        self.init(width: width, height: height, bytes: bytes)
    }

    /// Fills the rectangle with `color`.
    public mutating func fill(x: Int, y: Int, width w: Int, height h: Int, color: (UInt8, UInt8, UInt8)) {
        let x0 = max(0, x), x1 = min(width, x + w), y0 = max(0, y), y1 = min(height, y + h)
        guard x1 > x0, y1 > y0 else { return }
        for row in y0..<y1 {
            for column in x0..<x1 {
                let i = 3 * (row * width + column)
                bytes[i] = color.0; bytes[i + 1] = color.1; bytes[i + 2] = color.2
            }
        }
    }

    /// Copies `other` with its top-left corner at (x, y).
    public mutating func draw(_ other: RGBImage, x: Int, y: Int) {
        let x0 = max(0, x), x1 = min(width, x + other.width), y0 = max(0, y), y1 = min(height, y + other.height)
        guard x1 > x0, y1 > y0 else { return }
        for row in y0..<y1 {
            let source = 3 * ((row - y) * other.width + (x0 - x))
            let target = 3 * (row * width + x0)
            let count = 3 * (x1 - x0)
            bytes.replaceSubrange(target..<(target + count), with: other.bytes[source..<(source + count)])
        }
    }

    /// The colour at (x, y).
    public func pixel(x: Int, y: Int) -> (UInt8, UInt8, UInt8) {
        let i = 3 * (y * width + x)
        return (bytes[i], bytes[i + 1], bytes[i + 2])
    }
}
