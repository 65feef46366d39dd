import MammoData

/// Pictures of a probability map: a colour overlay on the mammogram with a colour-scale
/// legend, the map itself as a 16-bit PNG-ready image, and the hard mask.
/// All maps are `[height, width]` row-major; intensities and probabilities in [0, 1].
public enum Heatmap {
    /// The mammogram in gray with the map's colour laid over it. Each pixel's opacity is
    /// `alpha · p`, so normal tissue (p ≈ 0) shows the plain mammogram and only suspect
    /// regions are tinted. With `legend`, a colour bar with ticks 0, 0.5, 1 is appended on
    /// the right, so the result is wider than the input (`legendWidth(height:)` more pixels).
    public static func overlay(image: [Float], probability: [Float], width: Int, height: Int,
                               alpha: Float = 0.7, legend: Bool = true,
                               colormap: Colormap = .viridis) throws -> RGBImage {
        try checkPixelCount(image.count, width: width, height: height, "heatmap: image")
        try checkPixelCount(probability.count, width: width, height: height, "heatmap: probability map")
        let extra = legend ? legendWidth(height: height) : 0
        var out = RGBImage(width: width + extra, height: height, color: (0, 0, 0))
        let opacityScale = min(max(alpha, 0), 1)
        for y in 0..<height {
            for x in 0..<width {
                let i = y * width + x
                let p = probability[i].isNaN ? 0 : min(max(probability[i], 0), 1)
                let gray = (image[i].isNaN ? 0 : min(max(image[i], 0), 1)) * 255
                let color = colormap.color(p)
                let opacity = opacityScale * p
                let o = 3 * (y * out.width + x)
                out.bytes[o] = UInt8(((1 - opacity) * gray + opacity * Float(color.r)).rounded())
                out.bytes[o + 1] = UInt8(((1 - opacity) * gray + opacity * Float(color.g)).rounded())
                out.bytes[o + 2] = UInt8(((1 - opacity) * gray + opacity * Float(color.b)).rounded())
            }
        }
        if legend { drawLegend(into: &out, x: width, colormap: colormap) }
        return out
    }

    /// The map alone in colour (no mammogram), e.g. the "soft prediction" panel.
    public static func colored(probability: [Float], width: Int, height: Int,
                               colormap: Colormap = .viridis) throws -> RGBImage {
        try checkPixelCount(probability.count, width: width, height: height, "heatmap: probability map")
        var bytes = [UInt8](repeating: 0, count: width * height * 3)
        for i in probability.indices {
            let c = colormap.color(probability[i])
            bytes[3 * i] = c.r; bytes[3 * i + 1] = c.g; bytes[3 * i + 2] = c.b
        }
        return RGBImage(width: width, height: height, bytes: bytes)
    }

    /// The map as 16-bit gray: round(p · 65535), p clamped to [0, 1] (write with `PNG.write`).
    public static func probabilityImage(probability: [Float], width: Int, height: Int) throws -> GrayImage {
        try checkPixelCount(probability.count, width: width, height: height, "heatmap: probability map")
        let pixels = probability.map { p -> UInt16 in
            UInt16((p.isNaN ? 0 : min(max(p, 0), 1) * 65535).rounded())
        }
        return GrayImage(width: width, height: height, bitDepth: 16, pixels: pixels)
    }

    /// `probabilityImage` as PNG file bytes (16-bit gray), ready to write or embed.
    public static func probabilityPNG(probability: [Float], width: Int, height: Int) throws -> [UInt8] {
        try PNG.encode(probabilityImage(probability: probability, width: width, height: height))
    }

    /// The hard mask as 8-bit gray, the dataset's mask convention: 255 where p > threshold, else 0.
    public static func hardMask(probability: [Float], width: Int, height: Int, threshold: Float = 0.5) throws -> GrayImage {
        try checkPixelCount(probability.count, width: width, height: height, "heatmap: probability map")
        return GrayImage(width: width, height: height, bitDepth: 8, pixels: probability.map { $0 > threshold ? 255 : 0 })
    }

    /// Font scale for an image of this height: 1 font pixel per 160 image rows, at least 1.
    static func legendScale(height: Int) -> Int { max(1, height / 160) }

    /// Width of the legend strip: margin, bar, tick, gap, the widest label ("0.5"), margin.
    public static func legendWidth(height: Int) -> Int {
        let s = legendScale(height: height)
        return 3 * s + 6 * s + 2 * s + 2 * s + BitmapFont.width(of: "0.5", scale: s) + 3 * s
    }

    /// Draws the colour bar (1 at the top, 0 at the bottom) and its labelled ticks into
    /// the strip that starts at column `x`.
    static func drawLegend(into image: inout RGBImage, x: Int, colormap: Colormap) {
        let s = legendScale(height: image.height)
        let margin = 3 * s, barWidth = 6 * s
        let top = margin + BitmapFont.height(scale: s) / 2
        let bottom = image.height - 1 - margin - BitmapFont.height(scale: s) / 2
        guard bottom > top else { return }
        let barX = x + margin
        for y in top...bottom {
            let value = Float(bottom - y) / Float(bottom - top)
            let c = colormap.color(value)
            image.fill(x: barX, y: y, width: barWidth, height: 1, color: (c.r, c.g, c.b))
        }
        let white: (UInt8, UInt8, UInt8) = (255, 255, 255)
        for (value, label) in [(Float(1), "1"), (0.5, "0.5"), (0, "0")] {
            let y = bottom - Int((value * Float(bottom - top)).rounded())
            image.fill(x: barX + barWidth, y: y - s / 2, width: 2 * s, height: s, color: white)
            BitmapFont.draw(label, into: &image, x: barX + barWidth + 4 * s,
                            y: y - BitmapFont.height(scale: s) / 2, scale: s, color: white)
        }
    }
}
