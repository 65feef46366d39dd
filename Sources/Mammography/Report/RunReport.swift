import Engine
import Foundation
import MammoData

/// One training run as a single self-contained `report.html`: no network access is
/// needed to view it (inline CSS, inline SVG charts, PNG images embedded as base64).
///
/// Sections: configuration table; a loss chart (every per-epoch key containing "loss"),
/// a metric chart (the other keys) and charts of the learning rate and seconds per epoch; an optional summary table
/// (e.g. `EvaluationReport.rows`); one row of image panels per case.
public struct RunReport: Sendable {
    /// One row of images, e.g. input, label, probability map, hard prediction of one case.
    public struct ImageRow: Sendable {
        public var title: String
        public var panels: [FigureGrid.Panel]
        public init(title: String, panels: [FigureGrid.Panel]) { self.title = title; self.panels = panels }
    }

    public var title: String
    public var configuration: [(key: String, value: String)]
    /// Per-epoch values; the x axis is the "epoch" key when present, else the row number (from 1).
    public var epochs: [[String: Double]]
    public var summary: [(metric: String, value: String)]
    public var imageRows: [ImageRow]

    public init(title: String, configuration: [(key: String, value: String)] = [], epochs: [[String: Double]] = [],
                summary: [(metric: String, value: String)] = [], imageRows: [ImageRow] = []) {
        self.title = title; self.configuration = configuration; self.epochs = epochs
        self.summary = summary; self.imageRows = imageRows
    }

    /// Per-epoch bookkeeping drawn in charts of their own: on the metrics' [0, 1] scale,
    /// seconds per epoch (tens to thousands) would flatten every metric to the axis.
    public static let separatelyCharted: [(key: String, title: String)] = [
        ("learning_rate", "Learning rate"), ("seconds", "Seconds per epoch"),
    ]

    /// The charts drawn from `epochs`: losses in one, the metrics in another, then one per
    /// `separatelyCharted` key (a chart with no series is left out).
    public var charts: [SVGLineChart] {
        let keys = epochs.reduce(into: [String]()) { keys, row in
            for key in row.keys.sorted() where key != "epoch" && !keys.contains(key) { keys.append(key) }
        }
        func series(_ selected: [String]) -> [SVGLineChart.Series] {
            selected.map { key in
                SVGLineChart.Series(name: key, points: epochs.enumerated().compactMap { index, row in
                    row[key].map { (x: row["epoch"] ?? Double(index + 1), y: $0) }
                })
            }
        }
        let losses = keys.filter { $0.lowercased().contains("loss") }
        let own = Self.separatelyCharted.map(\.key)
        let metrics = keys.filter { !$0.lowercased().contains("loss") && !own.contains($0) }
        let bookkeeping = Self.separatelyCharted.filter { keys.contains($0.key) }.map { key, title in
            SVGLineChart(title: title, xLabel: "epoch", series: series([key]))
        }
        return ([SVGLineChart(title: "Loss", xLabel: "epoch", series: series(losses)),
                 SVGLineChart(title: "Metrics", xLabel: "epoch", series: series(metrics))] + bookkeeping)
            .filter { !$0.series.isEmpty }
    }

    static let style = """
        body { font-family: -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; margin: 24px; color: #222; max-width: 1200px; }
        h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 28px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
        table { border-collapse: collapse; font-size: 13px; }
        td, th { border: 1px solid #ddd; padding: 3px 10px; text-align: left; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; }
        th { background: #f4f4f4; }
        .charts { display: flex; flex-wrap: wrap; gap: 16px; }
        .row { display: flex; flex-wrap: wrap; gap: 10px; align-items: flex-start; margin-bottom: 14px; }
        figure { margin: 0; } figcaption { font-size: 12px; color: #555; text-align: center; }
        img { image-rendering: pixelated; height: 256px; width: auto; border: 1px solid #ccc; display: block; }
        .case { font-size: 13px; font-weight: bold; margin: 8px 0 4px; }
        """

    /// The whole page as HTML text. Throws when an image cannot be encoded.
    public func html() throws -> String {
        var html = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        html += "<title>\(HTML.escape(title))</title>\n<style>\n\(Self.style)\n</style>\n</head>\n<body>\n"
        html += "<h1>\(HTML.escape(title))</h1>\n"
        if !configuration.isEmpty {
            html += "<h2>Configuration</h2>\n<table>\n"
            for (key, value) in configuration {
                html += "<tr><th>\(HTML.escape(key))</th><td>\(HTML.escape(value))</td></tr>\n"
            }
            html += "</table>\n"
        }
        let charts = self.charts
        if !charts.isEmpty {
            html += "<h2>Training curves</h2>\n<div class=\"charts\">\n"
            for chart in charts { html += chart.render() + "\n" }
            html += "</div>\n"
        }
        if !summary.isEmpty {
            html += "<h2>Evaluation</h2>\n<table>\n<tr><th>metric</th><th>value</th></tr>\n"
            for (metric, value) in summary {
                html += "<tr><td>\(HTML.escape(metric))</td><td class=\"num\">\(HTML.escape(value))</td></tr>\n"
            }
            html += "</table>\n"
        }
        if !imageRows.isEmpty {
            html += "<h2>Images</h2>\n"
            for row in imageRows {
                html += "<div class=\"case\">\(HTML.escape(row.title))</div>\n<div class=\"row\">\n"
                for panel in row.panels {
                    let alt = HTML.escape(panel.title)
                    html += "<figure><img alt=\"\(alt)\" src=\"\(try PNGEmbedding.dataURI(panel.image))\">"
                    html += "<figcaption>\(alt)</figcaption></figure>\n"
                }
                html += "</div>\n"
            }
        }
        return html + "</body>\n</html>\n"
    }

    /// Writes `html()` to `path` atomically.
    public func write(to path: String) throws {
        try writeFileAtomically(Array(try html().utf8), to: path)
    }
}
