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
        // The strip touches the breast; where they meet, the mask's edge (scaled up from the
        // working copy) is cut again at the source's resolution: not one border pixel stays.
        XCTAssertEqual(borderKept, 0, "border pixels in the mask", file: file, line: line)
        XCTAssertLessThanOrEqual(Double(backgroundKept) / Double(background), 0.01, "background kept", file: file, line: line)
    }

    func testLeftBreastWithBorderLabelAndMarker() {
        check(SyntheticFilmScan(width: 700, height: 1200, chestWallLeft: true, seed: 1))
    }

    func testRightBreastWithWiderBorder() {
        // A strip of 6 % of the height: wider than the opening cuts, removed as an edge border.
        check(SyntheticFilmScan(width: 640, height: 1100, chestWallLeft: false, borderFraction: 0.06, seed: 2))
    }

    /// A border thinner than the closing's radius over a breast that reaches the top edge: the
    /// closing at the working size fills it back in (dilated breast up to the edge, and the edge
    /// counts as set for the erosion); the cut at the source's resolution takes it out again.
    func testThinBorderOverABreastReachingTheTopEdge() {
        check(SyntheticFilmScan(width: 1300, height: 2350, chestWallLeft: true, borderFraction: 0.006, breastTop: 0, seed: 12))
        check(SyntheticFilmScan(width: 520, height: 900, chestWallLeft: false, borderFraction: 0.004, breastTop: 0, seed: 13))
    }

    func testSmallImageIsNotDownsampled() {
        check(SyntheticFilmScan(width: 300, height: 480, chestWallLeft: true, seed: 3))
    }

    /// Half full-field size, where one working pixel is 5 source pixels: the border still ends
    /// exactly at its last row, and the breast right below it is kept.
    func testBorderTouchingTheBreastEndsExactlyAtLargeSize() {
        let scan = SyntheticFilmScan(width: 1400, height: 2500, chestWallLeft: true, borderFraction: 0.02, seed: 4)
        let mask = BreastMask.detect(in: scan.image)
        XCTAssertFalse(zip(mask.bits, scan.border.bits).contains { $0.0 && $0.1 }, "a border pixel in the mask")
        XCTAssertFalse(zip(mask.bits, scan.label.bits).contains { $0.0 && $0.1 }, "a label pixel in the mask")
        let firstBreastRow = scan.border.boundingBox!.height
        XCTAssertTrue(mask[30, firstBreastRow + 12], "the breast just below the border (within two working pixels)")
    }

    func testEdgeBordersAreFoundOnlyAlongEdgesAndOnTheSideAwayFromTheChestWall() {
        var mask = BinaryMask(width: 40, height: 30)
        for y in 0..<30 { for x in 0..<12 { mask[x, y] = true } }     // chest wall: whole left columns
        for y in 0..<3 { for x in 0..<40 { mask[x, y] = true } }      // top border
        for y in 0..<30 { for x in 38..<40 { mask[x, y] = true } }    // right border
        for y in 14..<15 { for x in 0..<40 { mask[x, y] = true } }    // a full row, but not at an edge
        let borders = EdgeBorders(mask)
        XCTAssertEqual(borders, EdgeBorders(top: 3, bottom: 0, left: 0, right: 2))
        var image = GrayImage(width: 40, height: 30, bitDepth: 16)
        for i in 0..<mask.bits.count where mask.bits[i] { image.pixels[i] = 50_000 }
        XCTAssertEqual(EdgeBorders(image, above: 1000), borders, "the same from an image and its threshold")
        borders.clear(&mask)
        XCTAssertFalse(mask[20, 2]); XCTAssertFalse(mask[39, 20]); XCTAssertTrue(mask[0, 20]); XCTAssertTrue(mask[20, 14])
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
