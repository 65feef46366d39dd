import Foundation
import MammoData
import XCTest
@testable import Mammography

final class HeatmapTests: XCTestCase {
    func luminance(_ c: (UInt8, UInt8, UInt8)) -> Double {
        0.2126 * Double(c.0) + 0.7152 * Double(c.1) + 0.0722 * Double(c.2)
    }

    func testViridisRunsFromPurpleToYellowWithRisingLuminance() {
        let map = Colormap.viridis
        XCTAssertEqual(map.table.count, 768)
        XCTAssertTrue(map.color(0) == (0x44, 0x01, 0x54))
        XCTAssertTrue(map.color(1) == (0xfd, 0xe7, 0x25))
        XCTAssertTrue(map.color(2) == map.color(1) && map.color(-1) == map.color(0) && map.color(.nan) == map.color(0))
        let luminances = (0..<256).map { i in luminance((map.table[3 * i], map.table[3 * i + 1], map.table[3 * i + 2])) }
        for (a, b) in zip(luminances, luminances.dropFirst()) { XCTAssertLessThanOrEqual(a, b + 0.5) }
        XCTAssertGreaterThan(luminances[255] - luminances[0], 150)
    }

    func testFontGlyphs() {
        XCTAssertEqual(BitmapFont.glyph("0").filter { $0 }.count, 12)
        XCTAssertEqual(BitmapFont.glyph("a"), BitmapFont.glyph("A"))
        XCTAssertEqual(BitmapFont.glyph("~"), BitmapFont.glyph("?"))
        XCTAssertEqual(BitmapFont.width(of: "0.5", scale: 2), 22)
        var image = RGBImage(width: 12, height: 5)
        BitmapFont.draw("1", into: &image, x: 0, y: 0, scale: 1, color: (255, 255, 255))
        XCTAssertTrue(image.pixel(x: 1, y: 0) == (255, 255, 255))   // top of the "1" stem
        XCTAssertTrue(image.pixel(x: 0, y: 0) == (0, 0, 0))
        XCTAssertTrue(image.pixel(x: 2, y: 4) == (255, 255, 255))   // right end of its foot
    }

    func testOverlayTintsOnlyWhereTheMapIsHighAndAddsALegend() throws {
        let width = 40, height = 200
        let image = [Float](repeating: 0.5, count: width * height)
        var probability = [Float](repeating: 0, count: width * height)
        probability[0] = 1
        let overlay = try Heatmap.overlay(image: image, probability: probability, width: width, height: height, alpha: 1)
        XCTAssertEqual(overlay.width, width + Heatmap.legendWidth(height: height))
        XCTAssertEqual(overlay.height, height)
        XCTAssertTrue(overlay.pixel(x: 5, y: 5) == (128, 128, 128), "p = 0 leaves the mammogram gray")
        XCTAssertTrue(overlay.pixel(x: 0, y: 0) == Colormap.viridis.color(1), "p = 1 at alpha 1 is the top colour")
        // The bar: top row is the colour of 1, bottom row the colour of 0.
        let barX = width + 3
        let column = (0..<height).map { overlay.pixel(x: barX, y: $0) }
        let barRows = column.indices.filter { column[$0] != (0, 0, 0) }
        XCTAssertTrue(column[barRows.first!] == Colormap.viridis.color(1))
        XCTAssertTrue(column[barRows.last!] == Colormap.viridis.color(0))
        // Three tick labels in white to the right of the bar.
        var labelRows = Set<Int>()
        for y in 0..<height {
            for x in (barX + 8)..<overlay.width where overlay.pixel(x: x, y: y) == (255, 255, 255) { labelRows.insert(y) }
        }
        let bands = labelRows.sorted().reduce(into: [[Int]]()) { bands, y in
            if let last = bands.last?.last, last == y - 1 { bands[bands.count - 1].append(y) } else { bands.append([y]) }
        }
        XCTAssertEqual(bands.count, 3, "labels 1, 0.5 and 0")
        XCTAssertThrowsError(try Heatmap.overlay(image: [0], probability: [0, 1], width: 1, height: 1))
    }

    func testProbabilityAndHardMaskImages() throws {
        let p: [Float] = [0, 0.5, 1, 1.5]
        let soft = try Heatmap.probabilityImage(probability: p, width: 2, height: 2)
        XCTAssertEqual(soft.bitDepth, 16)
        XCTAssertEqual(soft.pixels, [0, 32768, 65535, 65535])
        let png = try Heatmap.probabilityPNG(probability: p, width: 2, height: 2)
        let path = NSTemporaryDirectory() + "/heatmap-probability-\(getpid()).png"
        try Data(png).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }
        XCTAssertEqual(try PNG.readGray(path), soft, "16-bit PNG keeps p · 65535 exactly")
        let hard = try Heatmap.hardMask(probability: p, width: 2, height: 2, threshold: 0.5)
        XCTAssertEqual(hard.pixels, [0, 0, 255, 255])
    }

    func testFigureGridPlacesPanelsUnderTheirTitles() throws {
        let width = 16, height = 12
        let image = (0..<(width * height)).map { Float($0) / Float(width * height) }
        var mask = [UInt8](repeating: 0, count: width * height)
        mask[5] = 255
        let row = try FigureGrid.caseRow(image: image, mask: mask, probability: image, width: width, height: height)
        XCTAssertEqual(row.map(\.title), ["input", "label", "soft prediction", "hard prediction"])
        let grid = FigureGrid(rows: [row, row], padding: 4, fontScale: 1)
        let figure = grid.render()
        let titleHeight = 5 + 4, cellWidth = width + 4, cellHeight = height + titleHeight + 4
        XCTAssertEqual(figure.width, 4 * cellWidth + 4)
        XCTAssertEqual(figure.height, 2 * cellHeight + 4)
        // The label panel of the second row: mask pixel 5 is white.
        let x = 4 + cellWidth + 5, y = 4 + cellHeight + titleHeight
        XCTAssertTrue(figure.pixel(x: x, y: y) == (255, 255, 255))
        XCTAssertTrue(figure.pixel(x: x + 1, y: y) == (0, 0, 0))
        // Title ink sits above the first panel.
        XCTAssertTrue((0..<5).contains { dy in (4..<20).contains { figure.pixel(x: $0, y: 4 + dy) == (255, 255, 255) } })

        let maps: [Float] = [0, 1, 2, 3, 7, 7, 7, 7]
        let panels = try FigureGrid.featureMaps(maps, channels: 2, width: 2, height: 2)
        XCTAssertEqual(panels[0].image.bytes[0], 0)
        XCTAssertEqual(panels[0].image.bytes[9], 255)
        XCTAssertEqual(panels[1].image.bytes[0], 128)
        XCTAssertEqual(FigureGrid.rows(of: panels + panels + panels, columns: 4).map(\.count), [4, 2])
    }
}
