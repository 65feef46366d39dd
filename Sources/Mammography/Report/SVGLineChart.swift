import Foundation

/// A self-contained SVG line chart: axes with "nice" ticks (steps of 1, 2 or 5 × 10ᵏ),
/// one coloured line per series, and a legend to the right of the plot.
/// Non-finite points are skipped.
public struct SVGLineChart: Sendable {
    public struct Series: Sendable {
        public var name: String
        public var points: [(x: Double, y: Double)]
        public init(name: String, points: [(x: Double, y: Double)]) { self.name = name; self.points = points }
    }

    public var title: String
    public var xLabel: String
    public var series: [Series]
    public var width = 560
    public var height = 300

    public init(title: String, xLabel: String, series: [Series]) {
        self.title = title; self.xLabel = xLabel; self.series = series
    }

    /// Tableau 10: distinct colours that stay distinguishable for most colour-blind readers.
    static let palette = ["#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f",
                          "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac"]

    /// Tick positions covering [low, high]: the finest step of 1, 2 or 5 × 10ᵏ that needs
    /// at most `target` + 1 intervals once the ends are rounded out to whole steps.
    static func ticks(low: Double, high: Double, target: Int = 5) -> [Double] {
        guard high > low else { return [low] }
        let magnitude = pow(10, floor(log10((high - low) / Double(target))))
        let candidates = [1.0, 2, 5, 10, 20, 50].map { $0 * magnitude }
        let step = candidates.first { step in
            ((high / step).rounded(.up) - (low / step).rounded(.down)) <= Double(target + 1)
        } ?? candidates.last!
        let first = (low / step).rounded(.down) * step
        let last = (high / step).rounded(.up) * step
        return Swift.stride(from: first, through: last + step / 2, by: step).map { abs($0) < step * 1e-9 ? 0 : $0 }
    }

    static func format(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 1e6 { return String(Int(value)) }
        let text = String(format: abs(value) < 1e-3 || abs(value) >= 1e5 ? "%.2g" : "%.3g", value)
        return text
    }

    public func render() -> String {
        let finite = series.flatMap { $0.points }.filter { $0.x.isFinite && $0.y.isFinite }
        let legendWidth = 170, left = 56, right = legendWidth + 12, top = 28, bottom = 40
        let plotWidth = Double(width - left - right), plotHeight = Double(height - top - bottom)
        var svg = "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(width)\" height=\"\(height)\" viewBox=\"0 0 \(width) \(height)\" font-family=\"sans-serif\" font-size=\"11\">\n"
        svg += "<text x=\"\(left)\" y=\"16\" font-size=\"13\" font-weight=\"bold\">\(HTML.escape(title))</text>\n"
        guard !finite.isEmpty else {
            return svg + "<text x=\"\(left)\" y=\"\(top + 20)\" fill=\"#777\">no data</text>\n</svg>"
        }
        let xs = Self.ticks(low: finite.map(\.x).min()!, high: finite.map(\.x).max()!)
        var ys = Self.ticks(low: finite.map(\.y).min()!, high: finite.map(\.y).max()!)
        if ys.count == 1 {
            // A flat series (a constant learning rate of 0.002): an axis from 0 to twice the
            // value, not ±1 around it, which put 0.002 between ticks -0.998 and 1.
            let value = ys[0]
            ys = value == 0 ? Self.ticks(low: 0, high: 1) : Self.ticks(low: min(0, 2 * value), high: max(0, 2 * value))
        }
        let x0 = xs.first!, x1 = xs.count > 1 ? xs.last! : xs[0] + 1
        let y0 = ys.first!, y1 = ys.last!
        func px(_ x: Double) -> Double { Double(left) + (x - x0) / (x1 - x0) * plotWidth }
        func py(_ y: Double) -> Double { Double(top) + (1 - (y - y0) / (y1 - y0)) * plotHeight }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }

        // Grid and tick labels.
        for y in ys {
            svg += "<line x1=\"\(left)\" x2=\"\(f(Double(left) + plotWidth))\" y1=\"\(f(py(y)))\" y2=\"\(f(py(y)))\" stroke=\"#e4e4e4\"/>"
            svg += "<text x=\"\(left - 6)\" y=\"\(f(py(y) + 4))\" text-anchor=\"end\">\(Self.format(y))</text>\n"
        }
        for x in xs {
            svg += "<line x1=\"\(f(px(x)))\" x2=\"\(f(px(x)))\" y1=\"\(f(Double(top) + plotHeight))\" y2=\"\(f(Double(top) + plotHeight + 4))\" stroke=\"#333\"/>"
            svg += "<text x=\"\(f(px(x)))\" y=\"\(f(Double(top) + plotHeight + 16))\" text-anchor=\"middle\">\(Self.format(x))</text>\n"
        }
        // Axes.
        svg += "<path d=\"M\(left),\(top) V\(f(Double(top) + plotHeight)) H\(f(Double(left) + plotWidth))\" fill=\"none\" stroke=\"#333\"/>\n"
        svg += "<text x=\"\(f(Double(left) + plotWidth / 2))\" y=\"\(height - 6)\" text-anchor=\"middle\">\(HTML.escape(xLabel))</text>\n"
        // Lines and legend.
        for (k, line) in series.enumerated() {
            let color = Self.palette[k % Self.palette.count]
            let points = line.points.filter { $0.x.isFinite && $0.y.isFinite }
            if !points.isEmpty {
                let path = points.enumerated().map { i, p in "\(i == 0 ? "M" : "L")\(f(px(p.x))),\(f(py(p.y)))" }.joined(separator: " ")
                svg += "<path d=\"\(path)\" fill=\"none\" stroke=\"\(color)\" stroke-width=\"2\"><title>\(HTML.escape(line.name))</title></path>\n"
                if points.count <= 40 {
                    for p in points { svg += "<circle cx=\"\(f(px(p.x)))\" cy=\"\(f(py(p.y)))\" r=\"2.5\" fill=\"\(color)\"/>" }
                    svg += "\n"
                }
            }
            let ly = top + 8 + 18 * k, lx = width - legendWidth
            svg += "<line x1=\"\(lx)\" x2=\"\(lx + 22)\" y1=\"\(ly)\" y2=\"\(ly)\" stroke=\"\(color)\" stroke-width=\"3\"/>"
            svg += "<text x=\"\(lx + 28)\" y=\"\(ly + 4)\">\(HTML.escape(line.name))</text>\n"
        }
        return svg + "</svg>"
    }
}
