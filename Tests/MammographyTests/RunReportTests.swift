import Foundation
import MammoData
import XCTest
@testable import Mammography

final class RunReportTests: XCTestCase {
    /// A small phantom case: half-ellipse breast with texture, one bright round lesion,
    /// and a "prediction" that is a soft blob slightly off the lesion.
    func phantomCase(width: Int, height: Int, seed: Int) -> (image: [Float], mask: [UInt8], probability: [Float]) {
        var image = [Float](repeating: 0, count: width * height)
        var mask = [UInt8](repeating: 0, count: width * height)
        var probability = [Float](repeating: 0, count: width * height)
        let cx = Double(width) * 0.45, cy = Double(height) * 0.5, r = Double(height) / 10
        for y in 0..<height {
            for x in 0..<width {
                let i = y * width + x
                let u = Double(x) / Double(width), v = (Double(y) - Double(height) / 2) / (Double(height) / 2)
                guard u * u / 0.8 + v * v < 1 else { continue }
                let texture = 0.08 * sin(Double(x * 3 + seed) * 0.21) * cos(Double(y * 2 - seed) * 0.17)
                let d = hypot(Double(x) - cx, Double(y) - cy)
                image[i] = Float(0.45 + texture + (d < r ? 0.15 : 0))
                if d < r { mask[i] = 255 }
                probability[i] = Float(exp(-pow(hypot(Double(x) - cx - 2, Double(y) - cy + 1) / r, 2)))
            }
        }
        return (image, mask, probability)
    }

    func sampleReport() throws -> RunReport {
        let width = 96, height = 128
        var rows: [RunReport.ImageRow] = []
        var samples: [SegmentationSample] = []
        for seed in 0..<2 {
            let c = phantomCase(width: width, height: height, seed: seed)
            var panels = try FigureGrid.caseRow(image: c.image, mask: c.mask, probability: c.probability, width: width, height: height)
            panels[2] = FigureGrid.Panel(title: "probability overlay", image: try Heatmap.overlay(
                image: c.image, probability: c.probability, width: width, height: height))
            rows.append(RunReport.ImageRow(title: "case \(seed) <phantom>", panels: panels))
            samples.append(SegmentationSample(id: "case\(seed)", width: width, height: height,
                                              probability: c.probability, mask: c.mask, image: c.image))
        }
        // Feature maps of a layer: stripes at several frequencies, one with a stride-2 checkerboard.
        let maps: [Float] = (0..<6).flatMap { c in
            (0..<(32 * 32)).map { i -> Float in
                let x = Float(i % 32), y = Float(i / 32)
                return c == 5 ? Float(((i % 32) + (i / 32)) % 2) : sin(x * Float(c + 1) * 0.2) + cos(y * 0.15 * Float(c))
            }
        }
        let layer = FigureGrid(rows: FigureGrid.rows(of: try FigureGrid.featureMaps(maps, channels: 6, width: 32, height: 32),
                                                     columns: 3), fontScale: 1).render()
        rows.append(RunReport.ImageRow(title: "decoder block 1, feature maps", panels: [.init(title: "channels 0-5", image: layer)]))
        let evaluation = try SegmentationMetrics.evaluate(samples: samples)
        let epochs: [[String: Double]] = (1...12).map { e in
            let t = Double(e)
            return ["epoch": t, "train_loss": 0.7 * exp(-t / 4) + 0.1, "val_loss": 0.75 * exp(-t / 5) + 0.15,
                    "val_dice": 0.6 * (1 - exp(-t / 3)), "val_auc": 0.5 + 0.4 * (1 - exp(-t / 4))]
        }
        return RunReport(title: "unet-dilated on phantoms", configuration: [("arch", "unet-dilated"), ("size", "128"),
                                                                            ("note", "a<b & \"c\"")],
                         epochs: epochs, summary: evaluation.rows.map { ($0.metric, $0.value) }, imageRows: rows)
    }

    func testReportIsSelfContainedHTMLWithChartsAndImages() throws {
        let report = try sampleReport()
        let html = try report.html()
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertTrue(html.contains("<td>a&lt;b &amp; &quot;c&quot;</td>"), "configuration is escaped")
        XCTAssertFalse(html.contains("http://") && html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http://"),
                       "no network references besides the SVG namespace")
        XCTAssertEqual(html.components(separatedBy: "<svg ").count - 1, 2, "loss chart and metric chart")
        XCTAssertTrue(html.contains(">train_loss</text>") && html.contains(">val_dice</text>"), "legends")
        XCTAssertTrue(html.contains("case 1 &lt;phantom&gt;"))
        // Every embedded image is a PNG of the panel's size.
        let uris = html.components(separatedBy: "src=\"data:image/png;base64,").dropFirst()
        XCTAssertEqual(uris.count, 9)
        let base64 = String(uris.first!.prefix { $0 != "\"" })
        let bytes = try XCTUnwrap(Data(base64Encoded: base64))
        XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let path = NSTemporaryDirectory() + "/runreport-embedded-\(getpid()).png"
        try bytes.write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        let decoded = try PNG.readGray(path)
        XCTAssertEqual([decoded.width, decoded.height], [96, 128])
    }

    func testWriteIsAtomicAndLeavesOnlyTheReport() throws {
        let folder = NSTemporaryDirectory() + "/mammoseg-runreport-test"
        try? FileManager.default.removeItem(atPath: folder)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = folder + "/report.html"
        try sampleReport().write(to: path)
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: folder), ["report.html"])
        XCTAssertGreaterThan(try Data(contentsOf: URL(fileURLWithPath: path)).count, 10_000)
        XCTAssertThrowsError(try RunReport(title: "x").write(to: folder + "/missing/report.html")) { error in
            XCTAssertTrue("\(error)".hasPrefix(folder + "/missing/report.html: "), "\(error)")
        }
    }

    func testChartTicksAreNiceAndCoverTheData() {
        XCTAssertEqual(SVGLineChart.ticks(low: 0, high: 1), [0, 0.2, 0.4, 0.6000000000000001, 0.8, 1], accuracy: 1e-9)
        XCTAssertEqual(SVGLineChart.ticks(low: 1, high: 12), [0, 2, 4, 6, 8, 10, 12], accuracy: 1e-9)
        XCTAssertEqual(SVGLineChart.ticks(low: 0.13, high: 0.61), [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7], accuracy: 1e-9)
        let empty = SVGLineChart(title: "Loss", xLabel: "epoch", series: [.init(name: "a", points: [(1, .nan)])]).render()
        XCTAssertTrue(empty.contains("no data"))
    }

    func testComparisonTableMarkdownAndJSON() throws {
        let table = ComparisonTable(rows: [
            .init(architecture: "fcn-transpose", values: ["dice": 0.41234, "cef2": 0.0812]),
            .init(architecture: "fcn-resize", values: ["dice": 0.45, "auc": .nan]),
        ], columns: ["dice"])
        XCTAssertEqual(table.columns, ["dice", "cef2", "auc"])
        XCTAssertEqual(table.markdown(), """
            | architecture | dice | cef2 | auc |
            |---|---:|---:|---:|
            | fcn-transpose | 0.4123 | 0.0812 | – |
            | fcn-resize | 0.45 | – | – |

            """)
        let decoded = try JSONDecoder().decode(ComparisonTable.self, from: table.json())
        XCTAssertEqual(decoded.rows[1].values, ["dice": 0.45])
        XCTAssertEqual(decoded.rows[0], table.rows[0])
    }
}

/// Element-wise comparison of two arrays of doubles.
func XCTAssertEqual(_ a: [Double], _ b: [Double], accuracy: Double, file: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(a.count, b.count, "\(a) vs \(b)", file: file, line: line)
    for (x, y) in zip(a, b) { XCTAssertEqual(x, y, accuracy: accuracy, "\(a) vs \(b)", file: file, line: line) }
}
