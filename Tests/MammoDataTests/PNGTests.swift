import Foundation
import XCTest
@testable import MammoData

final class PNGTests: XCTestCase {
    /// Pillow-written PNGs (mode I;16 and L) read back with the exact stored values, also when
    /// gAMA/sRGB chunks would make libpng's simplified API apply a gamma curve.
    func testPillowFilesReadExactly() throws {
        let expected = try Fixtures.expected("png", as: [String: ExpectedImage].self)
        XCTAssertEqual(expected.count, 4)
        for (name, want) in expected {
            let image = try PNG.readGray(try Fixtures.path("png", name))
            want.assertMatches(image, name)
        }
    }

    func testGrayRoundTripKeepsEveryValue() throws {
        let folder = try Fixtures.temporaryFolder(self)
        for bitDepth in [8, 16] {
            let count = bitDepth == 8 ? 256 : 65536
            let image = GrayImage(width: 256, height: count / 256, bitDepth: bitDepth, pixels: (0..<count).map { UInt16($0) })
            let path = folder + "/ramp\(bitDepth).png"
            try PNG.write(image, to: path)
            XCTAssertEqual(try PNG.readGray(path), image, "\(bitDepth)-bit file")
            XCTAssertEqual(try PNG.decodeGray(try PNG.encode(image), file: "memory"), image, "\(bitDepth)-bit memory")
            XCTAssertEqual(try ImageFile.format(of: path), .png)
        }
    }

    func testRGBEncodesAsAnRGBPNG() throws {
        let rgb = RGBImage(width: 2, height: 1, bytes: [255, 0, 0, 10, 20, 30])
        let bytes = try PNG.encode(rgb)
        XCTAssertTrue(bytes.starts(with: PNG.signature))
        XCTAssertEqual(bytes[25], 2, "IHDR colour type 2 (truecolour)")
        XCTAssertEqual(bytes[24], 8, "IHDR bit depth 8")
        let folder = try Fixtures.temporaryFolder(self)
        try PNG.write(rgb, to: folder + "/rgb.png")
        XCTAssertEqual(FileManager.default.contents(atPath: folder + "/rgb.png").map { [UInt8]($0) }, bytes)
    }

    func testColorSpaceChunksAreDroppedAndOthersKept() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try Fixtures.path("png", "gray16_gamma045_srgb.png"))))
        let stripped = PNG.withoutColorSpaceChunks(bytes)
        let text = String(decoding: stripped, as: UTF8.self)
        XCTAssertFalse(text.contains("gAMA") || text.contains("sRGB"))
        XCTAssertTrue(text.contains("IHDR") && text.contains("IDAT") && text.contains("IEND"))
        XCTAssertEqual(bytes.count - stripped.count, (12 + 4) + (12 + 1))
    }

    func testNotAPNGIsAnError() throws {
        let path = try Fixtures.path("dicom", "not_dicom.dcm")
        XCTAssertThrowsError(try PNG.readGray(path)) { error in
            XCTAssertEqual(error as? DataError, DataError(file: path, "not a PNG file (no PNG signature); check the file type"))
        }
        var damaged = try PNG.encode(GrayImage(width: 4, height: 4, bitDepth: 8))
        damaged.removeLast(30)
        XCTAssertThrowsError(try PNG.decodeGray(damaged, file: "cut.png"))
    }
}
