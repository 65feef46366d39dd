/// Drawing annotations into 8-bit masks (255 = lesion), in image pixel coordinates with the
/// origin at the top-left corner and pixel centres at integer + 0.5.
extension GrayImage {
    /// Fills a closed polygon by the even–odd rule, pixel centres inside: the scanline fill of
    /// a contour (INbreast's ROI outlines). Fewer than three points draw nothing.
    mutating func fillPolygon(_ points: [(x: Double, y: Double)]) {
        guard points.count >= 3 else { return }
        let ys = points.map(\.y)
        let top = max(0, Int((ys.min()! - 0.5).rounded(.down))), bottom = min(height - 1, Int((ys.max()! - 0.5).rounded(.up)))
        guard top <= bottom else { return }
        for row in top...bottom {
            let y = Double(row) + 0.5
            var crossings: [Double] = []
            for i in points.indices {
                let a = points[i], b = points[(i + 1) % points.count]
                // Half-open in y so a vertex on the scanline counts once.
                if (a.y <= y) != (b.y <= y) {
                    crossings.append(a.x + (y - a.y) / (b.y - a.y) * (b.x - a.x))
                }
            }
            crossings.sort()
            var i = 0
            while i + 1 < crossings.count {
                // Columns whose centre x + 0.5 lies in [left, right).
                let first = max(0, Int((crossings[i] - 0.5).rounded(.up)))
                let last = min(width - 1, Int((crossings[i + 1] - 0.5).rounded(.up)) - 1)
                if first <= last { for x in first...last { self[x, row] = 255 } }
                i += 2
            }
        }
    }

    /// Fills the pixels whose centres lie within `radius` of (x, y), and at least the pixel holding (x, y).
    mutating func fillDisc(x: Double, y: Double, radius: Double) {
        let y0 = max(0, Int((y - radius).rounded(.down))), y1 = min(height - 1, Int((y + radius).rounded(.up)))
        let x0 = max(0, Int((x - radius).rounded(.down))), x1 = min(width - 1, Int((x + radius).rounded(.up)))
        if y0 <= y1, x0 <= x1 {
            for row in y0...y1 {
                for column in x0...x1 {
                    let dx = Double(column) + 0.5 - x, dy = Double(row) + 0.5 - y
                    if dx * dx + dy * dy <= radius * radius { self[column, row] = 255 }
                }
            }
        }
        let (cx, cy) = (Int(x.rounded(.down)), Int(y.rounded(.down)))
        if (0..<width).contains(cx), (0..<height).contains(cy) { self[cx, cy] = 255 }
    }

    /// Fills the pixels a box [xmin, xmax) × [ymin, ymax) touches (VinDr-Mammo's finding boxes),
    /// clipped to the image. Returns false when nothing of the box lies inside the image.
    @discardableResult
    mutating func fillBox(xmin: Double, ymin: Double, xmax: Double, ymax: Double) -> Bool {
        let x0 = max(0, Int(xmin.rounded(.down))), x1 = min(width - 1, Int(xmax.rounded(.up)) - 1)
        let y0 = max(0, Int(ymin.rounded(.down))), y1 = min(height - 1, Int(ymax.rounded(.up)) - 1)
        guard x0 <= x1, y0 <= y1 else { return false }
        for row in y0...y1 { for column in x0...x1 { self[column, row] = 255 } }
        return true
    }
}
