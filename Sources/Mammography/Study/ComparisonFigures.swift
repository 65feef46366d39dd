import MammoData

/// The study's figures for a comparison of architectures.
public enum ComparisonFigures {
    /// One case (image) across architectures: one row per architecture of input, label,
    /// soft and hard prediction; the row's first title names the architecture.
    public static func caseFigure(rows: [(architecture: String, panels: [FigureGrid.Panel])]) -> RGBImage {
        FigureGrid(rows: rows.map { row in
            row.panels.enumerated().map { i, panel in
                FigureGrid.Panel(title: i == 0 ? row.architecture : panel.title, image: panel.image)
            }
        }, fontScale: 1).render()
    }

    /// A grid of (at most `maxChannels`) feature maps, each enlarged by pixel repetition to at
    /// least `minimumSide` pixels so the period-2 structure stays visible.
    public static func featureGrid(_ maps: FeatureMaps, maxChannels: Int = 64, minimumSide: Int = 64) throws -> RGBImage {
        let channels = min(maps.channels, maxChannels)
        let factor = max(1, (minimumSide + maps.width - 1) / maps.width)
        let (w, h) = (maps.width * factor, maps.height * factor)
        var enlarged = [Float](repeating: 0, count: channels * w * h)
        for c in 0..<channels {
            for y in 0..<h { for x in 0..<w {
                enlarged[(c * h + y) * w + x] = maps.values[(c * maps.height + y / factor) * maps.width + x / factor]
            } }
        }
        let panels = try FigureGrid.featureMaps(enlarged, channels: channels, width: w, height: h)
        let columns = Int(Double(panels.count).squareRoot().rounded(.up))
        return FigureGrid(rows: FigureGrid.rows(of: panels, columns: columns), padding: 2, fontScale: 1).render()
    }

    /// The layer whose maps the feature figure shows: the first upsampling layer whose output
    /// is at least `minimumSide` pixels wide for a `size`² input (the FCN's first steps run at
    /// S/64 and S/32, too small to show a pattern at CPU-friendly sizes).
    public static func firstVisibleUpsamplingLayer(of model: any SegmentationModel, size: Int, minimumSide: Int = 16) -> String? {
        let sides = Dictionary(model.summarize(inputShape: [1, 1, size, size]).map { ($0.name, $0.outputShape.last ?? 0) },
                               uniquingKeysWith: { a, _ in a })
        let layers = model.upsamplingLayers
        return layers.first { (sides[$0] ?? 0) >= minimumSide } ?? layers.first
    }
}
