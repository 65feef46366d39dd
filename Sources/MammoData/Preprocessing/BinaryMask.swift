// Preprocessing owns what turns a raw mammogram into the network's input and maps results back: breast mask, policy, per-image transform.

/// A boolean image, row-major, top row first (true = inside). The breast mask's working type:
/// small, cheap to copy, with the morphology and component operations the breast detector needs.
public struct BinaryMask: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var bits: [Bool]

    public init(width: Int, height: Int, bits: [Bool]) {
        precondition(bits.count == width * height, "BinaryMask: \(width)x\(height) needs \(width * height) bits")
        self.width = width; self.height = height; self.bits = bits
    }

    public init(width: Int, height: Int, filled: Bool = false) {
        self.init(width: width, height: height, bits: [Bool](repeating: filled, count: width * height))
    }

    @inlinable public subscript(x: Int, y: Int) -> Bool {
        get { bits[y * width + x] }
        set { bits[y * width + x] = newValue }
    }

    public var count: Int { bits.reduce(0) { $0 + ($1 ? 1 : 0) } }

    /// The smallest box holding every set pixel; nil when none is set.
    public var boundingBox: PixelBox? {
        var minX = width, minY = height, maxX = -1, maxY = -1
        for y in 0..<height {
            let row = y * width
            for x in 0..<width where bits[row + x] {
                minX = min(minX, x); maxX = max(maxX, x); minY = min(minY, y); maxY = max(maxY, y)
            }
        }
        guard maxX >= 0 else { return nil }
        return PixelBox(x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1)
    }

    /// Mirrored left–right.
    public func flippedHorizontally() -> BinaryMask {
        var out = self
        for y in 0..<height {
            let row = y * width
            for x in 0..<width { out.bits[row + x] = bits[row + width - 1 - x] }
        }
        return out
    }

    /// The pixels inside `box` (which must lie inside the mask).
    public func cropped(to box: PixelBox) -> BinaryMask {
        var out = BinaryMask(width: box.width, height: box.height)
        for y in 0..<box.height {
            let src = (box.y + y) * width + box.x
            for x in 0..<box.width { out.bits[y * box.width + x] = bits[src + x] }
        }
        return out
    }

    /// Resized by bilinear interpolation of the 0/1 field, kept where it is at least one half:
    /// smoother edges than nearest neighbour when a mask found on a small copy is scaled up.
    public func resized(width newWidth: Int, height newHeight: Int) -> BinaryMask {
        if newWidth == width && newHeight == height { return self }
        let columns = BilinearAxis(source: width, target: newWidth)
        let rows = BilinearAxis(source: height, target: newHeight)
        var out = BinaryMask(width: newWidth, height: newHeight)
        for y in 0..<newHeight {
            let (y0, y1, fy) = rows.taps[y]
            for x in 0..<newWidth {
                let (x0, x1, fx) = columns.taps[x]
                func v(_ xx: Int, _ yy: Int) -> Float { bits[yy * width + xx] ? 1 : 0 }
                let top = v(x0, y0) + (v(x1, y0) - v(x0, y0)) * fx
                let bottom = v(x0, y1) + (v(x1, y1) - v(x0, y1)) * fx
                out.bits[y * newWidth + x] = top + (bottom - top) * fy >= 0.5
            }
        }
        return out
    }

    /// As an 8-bit 0/255 image (for writing and for nearest-neighbour resampling).
    public func grayImage() -> GrayImage {
        GrayImage(width: width, height: height, bitDepth: 8, pixels: bits.map { $0 ? 255 : 0 })
    }

    /// The non-zero pixels of `image`.
    public init(nonZeroOf image: GrayImage) {
        self.init(width: image.width, height: image.height, bits: image.pixels.map { $0 != 0 })
    }
}

/// For each target index along one axis, the two source indices and the weight of the second,
/// with pixel centres aligned ((t + 0.5)·source/target − 0.5) and clamped at the edges.
struct BilinearAxis {
    let taps: [(Int, Int, Float)]

    init(source: Int, target: Int) {
        let step = Double(source) / Double(target)
        taps = (0..<target).map { t in
            let position = min(max((Double(t) + 0.5) * step - 0.5, 0), Double(source - 1))
            let lower = Int(position.rounded(.down))
            return (lower, min(lower + 1, source - 1), Float(position - Double(lower)))
        }
    }
}
