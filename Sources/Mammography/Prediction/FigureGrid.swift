import MammoData

/// A grid of labelled panels composed into one image: e.g. per case a row of input,
/// label, soft prediction and hard prediction; or the feature maps of one layer.
///
/// Layout: panels are placed left to right, rows top to bottom, each cell as large as
/// the largest panel, with `padding` pixels around every cell and the title drawn in
/// white above its panel on a dark background.
public struct FigureGrid: Sendable {
    public struct Panel: Sendable {
        public var title: String
        public var image: RGBImage
        public init(title: String, image: RGBImage) { self.title = title; self.image = image }
    }

    public var rows: [[Panel]]
    public var padding: Int
    /// Font pixel size of the titles.
    public var fontScale: Int
    public var background: (UInt8, UInt8, UInt8) = (24, 24, 24)

    public init(rows: [[Panel]], padding: Int = 4, fontScale: Int = 2) {
        self.rows = rows; self.padding = padding; self.fontScale = fontScale
    }

    /// The composed figure (a 1 × 1 background pixel when there are no panels).
    public func render() -> RGBImage {
        let panels = rows.flatMap { $0 }
        guard !panels.isEmpty else { return RGBImage(width: 1, height: 1, color: background) }
        let titleHeight = BitmapFont.height(scale: fontScale) + padding
        let cellWidth = panels.map(\.image.width).max()! + padding
        let cellHeight = panels.map(\.image.height).max()! + titleHeight + padding
        let columns = rows.map(\.count).max()!
        var figure = RGBImage(width: columns * cellWidth + padding, height: rows.count * cellHeight + padding,
                              color: background)
        for (r, row) in rows.enumerated() {
            for (c, panel) in row.enumerated() {
                let x = padding + c * cellWidth, y = padding + r * cellHeight
                // Titles longer than the panel are cut to fit, not drawn over the neighbour.
                let fitting = max(0, (panel.image.width / fontScale + 1) / BitmapFont.advance)
                BitmapFont.draw(String(panel.title.prefix(fitting)), into: &figure, x: x, y: y,
                                scale: fontScale, color: (255, 255, 255))
                figure.draw(panel.image, x: x, y: y + titleHeight)
            }
        }
        return figure
    }

    /// Panels of the maps of one layer, `[channels, height, width]`, each stretched to
    /// its own minimum…maximum (a constant map is drawn mid-gray), titled by channel index.
    public static func featureMaps(_ maps: [Float], channels: Int, width: Int, height: Int) throws -> [Panel] {
        try checkPixelCount(maps.count, width: width * max(channels, 1), height: height,
                            "feature maps [\(channels), \(height), \(width)]")
        let plane = width * height
        return (0..<channels).map { c in
            let map = Array(maps[c * plane..<(c + 1) * plane])
            let low = map.min()!, high = map.max()!
            let image = high > low
                ? RGBImage(gray: map, width: width, height: height, low: low, high: high)
                : RGBImage(width: width, height: height, color: (128, 128, 128))
            return Panel(title: "\(c)", image: image)
        }
    }

    /// The standard row for one case: input mammogram, true mask, soft prediction (the
    /// map in colour) and hard prediction (p > threshold), each `width × height`.
    public static func caseRow(image: [Float], mask: [UInt8], probability: [Float],
                               width: Int, height: Int, threshold: Float = 0.5) throws -> [Panel] {
        try checkPixelCount(image.count, width: width, height: height, "figure: image")
        try checkPixelCount(mask.count, width: width, height: height, "figure: mask")
        try checkPixelCount(probability.count, width: width, height: height, "figure: probability map")
        return [
            Panel(title: "input", image: RGBImage(gray: image, width: width, height: height)),
            Panel(title: "label", image: RGBImage(gray: mask.map { $0 != 0 ? 1 : 0 }, width: width, height: height)),
            Panel(title: "soft prediction", image: try Heatmap.colored(probability: probability, width: width, height: height)),
            Panel(title: "hard prediction", image: RGBImage(gray: probability.map { $0 > threshold ? 1 : 0 },
                                                             width: width, height: height)),
        ]
    }

    /// Splits panels into rows of `columns`.
    public static func rows(of panels: [Panel], columns: Int) -> [[Panel]] {
        let columns = max(1, columns)
        return Swift.stride(from: 0, to: panels.count, by: columns).map { Array(panels[$0..<min($0 + columns, panels.count)]) }
    }
}
