/// The geometry that took one source image to its prepared image, and back: mirror left–right
/// (when `flipped`), crop to `crop` (in the mirrored image), scale to `preparedWidth`×`preparedHeight`.
/// Small and Codable: stored per image in the manifest so any map can go back to the source grid.
public struct PreprocessingTransform: Codable, Hashable, Sendable {
    public var sourceWidth: Int
    public var sourceHeight: Int
    public var flipped: Bool
    /// The kept region, in the (mirrored, if `flipped`) source grid.
    public var crop: PixelBox
    public var preparedWidth: Int
    public var preparedHeight: Int

    public init(sourceWidth: Int, sourceHeight: Int, flipped: Bool, crop: PixelBox, preparedWidth: Int, preparedHeight: Int) {
        self.sourceWidth = sourceWidth; self.sourceHeight = sourceHeight; self.flipped = flipped
        self.crop = crop; self.preparedWidth = preparedWidth; self.preparedHeight = preparedHeight
    }

    /// The identity on a `width`×`height` image.
    public static func identity(width: Int, height: Int) -> PreprocessingTransform {
        PreprocessingTransform(sourceWidth: width, sourceHeight: height, flipped: false,
                               crop: PixelBox(x: 0, y: 0, width: width, height: height),
                               preparedWidth: width, preparedHeight: height)
    }

    /// Prepared pixels per source pixel, horizontally (vertically it differs only by rounding).
    public var scale: Double { Double(preparedWidth) / Double(crop.width) }

    /// Whether the numbers describe a possible transform (a damaged manifest row does not).
    public var isConsistent: Bool {
        sourceWidth > 0 && sourceHeight > 0 && preparedWidth > 0 && preparedHeight > 0
            && crop.x >= 0 && crop.y >= 0 && crop.width > 0 && crop.height > 0
            && crop.x + crop.width <= sourceWidth && crop.y + crop.height <= sourceHeight
    }

    /// The source image mirrored, cropped and scaled (area average); with `breastMask` (the
    /// source's), everything outside the breast becomes 0 first, in the source grid, so that no
    /// label or border pixel enters a prepared pixel's average, and the prepared mask comes back
    /// too (the prepared image is 0 outside it as well).
    public func apply(to image: GrayImage, breastMask: BinaryMask? = nil) -> (image: GrayImage, breastMask: BinaryMask?) {
        precondition(image.width == sourceWidth && image.height == sourceHeight, "PreprocessingTransform: source size differs")
        if let breastMask {
            precondition(breastMask.width == sourceWidth && breastMask.height == sourceHeight, "PreprocessingTransform: breast mask size differs")
        }
        var geometric = Resampling.areaAverage(extracted(image, keeping: breastMask), width: preparedWidth, height: preparedHeight)
        guard let breastMask else { return (geometric, nil) }
        let mask = apply(to: breastMask)
        for i in 0..<geometric.pixels.count where !mask.bits[i] { geometric.pixels[i] = 0 }
        return (geometric, mask)
    }

    /// A label image (lesion mask) the same way, nearest neighbour so labels are never blended.
    public func applyToLabels(_ labels: GrayImage) -> GrayImage {
        Resampling.nearest(extracted(labels, keeping: nil), width: preparedWidth, height: preparedHeight)
    }

    /// A binary mask the same way (bilinear, cut at one half).
    public func apply(to mask: BinaryMask) -> BinaryMask {
        (flipped ? mask.flippedHorizontally() : mask).cropped(to: crop).resized(width: preparedWidth, height: preparedHeight)
    }

    /// A map over the prepared grid (`preparedHeight·preparedWidth` values, row-major) in the
    /// source grid: scaled back (bilinear), 0 outside the crop, mirrored back; and 0 wherever
    /// `sourceBreastMask` (source-sized) is unset.
    public func mapBack(_ map: [Float], sourceBreastMask: BinaryMask? = nil) -> [Float] {
        precondition(map.count == preparedWidth * preparedHeight, "PreprocessingTransform.mapBack: map size differs")
        let columns = BilinearAxis(source: preparedWidth, target: crop.width)
        let rows = BilinearAxis(source: preparedHeight, target: crop.height)
        var out = [Float](repeating: 0, count: sourceWidth * sourceHeight)
        for y in 0..<crop.height {
            let (y0, y1, fy) = rows.taps[y]
            let sourceRow = (crop.y + y) * sourceWidth
            for x in 0..<crop.width {
                let (x0, x1, fx) = columns.taps[x]
                let top = map[y0 * preparedWidth + x0] + (map[y0 * preparedWidth + x1] - map[y0 * preparedWidth + x0]) * fx
                let bottom = map[y1 * preparedWidth + x0] + (map[y1 * preparedWidth + x1] - map[y1 * preparedWidth + x0]) * fx
                let column = crop.x + x
                out[sourceRow + (flipped ? sourceWidth - 1 - column : column)] = top + (bottom - top) * fy
            }
        }
        if let sourceBreastMask {
            precondition(sourceBreastMask.width == sourceWidth && sourceBreastMask.height == sourceHeight,
                         "PreprocessingTransform.mapBack: breast mask size differs")
            for i in 0..<out.count where !sourceBreastMask.bits[i] { out[i] = 0 }
        }
        return out
    }

    /// The crop of the (mirrored, when `flipped`) image in one pass, 0 where `mask` (source-sized) is unset.
    private func extracted(_ image: GrayImage, keeping mask: BinaryMask?) -> GrayImage {
        if !flipped && mask == nil && crop.x == 0 && crop.y == 0 && crop.width == image.width && crop.height == image.height {
            return image
        }
        var out = GrayImage(width: crop.width, height: crop.height, bitDepth: image.bitDepth)
        let width = image.width
        image.pixels.withUnsafeBufferPointer { source in
            out.pixels.withUnsafeMutableBufferPointer { target in
                for y in 0..<crop.height {
                    let row = (crop.y + y) * width, targetRow = y * crop.width
                    for x in 0..<crop.width {
                        let column = crop.x + x
                        let i = row + (flipped ? width - 1 - column : column)
                        if let mask, !mask.bits[i] { continue }
                        target[targetRow + x] = source[i]
                    }
                }
            }
        }
        return out
    }
}
