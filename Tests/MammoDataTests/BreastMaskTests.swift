import XCTest
@testable import MammoData

/// The breast mask on synthetic film scans: border strip touching the breast, label, marker, noise.
final class BreastMaskTests: XCTestCase {
    private func check(_ scan: SyntheticFilmScan, file: StaticString = #filePath, line: UInt = #line) {
        let mask = BreastMask.detect(in: scan.image)
        XCTAssertEqual(mask.width, scan.image.width, file: file, line: line)
        XCTAssertEqual(mask.height, scan.image.height, file: file, line: line)
        var breastKept = 0, labelKept = 0, borderKept = 0, backgroundKept = 0, background = 0
        for i in 0..<mask.bits.count {
            let inBreast = scan.breast.bits[i], inBorder = scan.border.bits[i], inLabel = scan.label.bits[i]
            if inBreast && mask.bits[i] { breastKept += 1 }
            if inLabel && mask.bits[i] { labelKept += 1 }
            if inBorder && mask.bits[i] { borderKept += 1 }
            if !inBreast && !inBorder && !inLabel { background += 1; if mask.bits[i] { backgroundKept += 1 } }
        }
        let breastFraction = Double(breastKept) / Double(scan.breast.count)
        XCTAssertGreaterThanOrEqual(breastFraction, 0.97, "breast kept", file: file, line: line)
        XCTAssertEqual(labelKept, 0, "label and marker pixels in the mask", file: file, line: line)
        // The strip touches the breast: only where they meet may the mask's edge (scaled up
        // from the working copy) stray into it by a pixel or so of the working grid.
        XCTAssertLessThanOrEqual(Double(borderKept) / Double(scan.border.count), 0.02, "border kept", file: file, line: line)
        XCTAssertLessThanOrEqual(Double(backgroundKept) / Double(background), 0.01, "background kept", file: file, line: line)
    }

    func testLeftBreastWithBorderLabelAndMarker() {
        check(SyntheticFilmScan(width: 700, height: 1200, chestWallLeft: true, seed: 1))
    }

    func testRightBreastWithWiderBorder() {
        // A strip of 6 % of the height: wider than the opening cuts, removed as an edge border.
        check(SyntheticFilmScan(width: 640, height: 1100, chestWallLeft: false, borderFraction: 0.06, seed: 2))
    }

    func testSmallImageIsNotDownsampled() {
        check(SyntheticFilmScan(width: 300, height: 480, chestWallLeft: true, seed: 3))
    }

    func testBorderFarFromTheBreastIsExcludedExactly() {
        let scan = SyntheticFilmScan(width: 700, height: 1200, chestWallLeft: true, seed: 4)
        let mask = BreastMask.detect(in: scan.image)
        // Border pixels farther than two working pixels (here 2·1200/512 ≈ 5) from any breast pixel.
        var breastColumns = [Int](repeating: Int.max, count: scan.image.width)
        for x in 0..<scan.image.width { for y in 0..<scan.image.height where scan.breast[x, y] { breastColumns[x] = y; break } }
        var strayed = 0
        for y in 0..<scan.image.height { for x in 0..<scan.image.width where scan.border[x, y] && mask[x, y] {
            let near = (max(0, x - 6)...min(scan.image.width - 1, x + 6)).contains { breastColumns[$0] != Int.max && abs(breastColumns[$0] - y) <= 6 }
            if !near { strayed += 1 }
        } }
        XCTAssertEqual(strayed, 0)
    }

    func testBlankImageGivesAFullMask() {
        let mask = BreastMask.detect(in: GrayImage(width: 64, height: 80, bitDepth: 16))
        XCTAssertEqual(mask.count, 64 * 80)
    }

    func testOpeningRemovesThinStripsAndKeepsWideRegions() {
        var mask = BinaryMask(width: 60, height: 60)
        for y in 10..<50 { for x in 0..<40 { mask[x, y] = true } }   // wide region at the left edge
        for y in 0..<3 { for x in 0..<60 { mask[x, y] = true } }     // thin strip on the top edge
        let opened = mask.opened(radius: 2)
        XCTAssertFalse(opened[30, 1])
        XCTAssertTrue(opened[0, 10] && opened[39, 49] && opened[20, 30])
        XCTAssertEqual(opened.count, 40 * 40)
    }
}
