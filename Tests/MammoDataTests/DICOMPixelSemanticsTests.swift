import Foundation
import XCTest
@testable import MammoData

/// Modality LUT, VOI (window functions and VOI LUT), padding and multi-frame against pydicom
/// (fixtures from scripts/fixtures/make_semantics_fixtures.py).
final class DICOMPixelSemanticsTests: XCTestCase {
    struct Expected: Decodable {
        struct Frame: Decodable {
            let storedValues: [Int32]
            let importedImage: [Int]
            let windowedImage: [Int]?
        }
        let numberOfFrames: Int
        let frames: [Frame]
    }

    func testEveryFileAndFrameMatchesPydicomWithinOne() throws {
        let expected = try Fixtures.expected("dicom-semantics", as: [String: Expected].self)
        XCTAssertGreaterThanOrEqual(expected.count, 10)
        for (name, want) in expected.sorted(by: { $0.key < $1.key }) {
            let path = try Fixtures.path("dicom-semantics", name)
            for (index, frame) in want.frames.enumerated() {
                let file = try DICOMFile(path: path, frame: want.numberOfFrames > 1 ? index + 1 : nil)
                XCTAssertEqual(file.numberOfFrames, want.numberOfFrames, name)
                XCTAssertEqual(file.storedValues, frame.storedValues, "\(name) frame \(index + 1): stored values")
                Self.assertClose(file.importedImage().pixels, frame.importedImage, "\(name) frame \(index + 1): import transform")
                if let windowed = frame.windowedImage {
                    Self.assertClose(try file.importedImage(applyWindow: true).pixels, windowed, "\(name) frame \(index + 1): VOI")
                } else {
                    XCTAssertThrowsError(try file.importedImage(applyWindow: true), "\(name) has no VOI transform")
                }
            }
        }
    }

    func testHeadersAreReadAsWritten() throws {
        let sigmoid = try DICOMFile(path: try Fixtures.path("dicom-semantics", "window_sigmoid_u14.dcm"))
        XCTAssertEqual(sigmoid.windows.map(\.function), [.sigmoid, .sigmoid])
        XCTAssertEqual(sigmoid.windows.map(\.center), [9000, 5000])
        XCTAssertEqual(sigmoid.windows.map(\.explanation), ["NORMAL", "HARDER"])
        let lut = try DICOMFile(path: try Fixtures.path("dicom-semantics", "modality_lut_u12.dcm"))
        guard case let .lookupTable(table) = lut.modalityTransform else { return XCTFail("no Modality LUT read") }
        XCTAssertEqual(table.firstMapped, 100)
        XCTAssertEqual(table.entries.count, 4096 - 100)
        let padded = try DICOMFile(path: try Fixtures.path("dicom-semantics", "padding_range_s16_mono1.dcm"))
        XCTAssertEqual(padded.paddingRange, -32768 ... -30000)
        XCTAssertEqual(padded.importedImage().pixels.prefix(2), [0, 0], "padding is background even in MONOCHROME1")
    }

    func testMultiFrameNeedsAFrameNumberInRange() throws {
        let path = try Fixtures.path("dicom-semantics", "multiframe_rle_bot_u12.dcm")
        XCTAssertThrowsError(try DICOMFile(path: path)) { error in
            XCTAssertTrue("\(error)".contains("multi-frame image (3 frames); choose one with --frame 1 to 3"), "\(error)")
        }
        XCTAssertThrowsError(try DICOMFile(path: path, frame: 4)) { error in
            XCTAssertTrue("\(error)".contains("no frame 4"), "\(error)")
        }
    }

    /// A rescale whose modality values overflow a Double (slope 1e308) or lose every digit under
    /// a huge intercept (1e20) still imports to the full range, as the stored values' places do.
    func testExtremeRescaleImportsLikeTheIdentity() throws {
        let folder = try Fixtures.temporaryFolder(self)
        let image = GrayImage(width: 4, height: 1, bitDepth: 16, pixels: [0, 1000, 30000, 65535])
        for (slope, intercept) in [(1e308, 0.0), (1.0, 1e20), (-1e308, -1e20)] {
            let path = folder + "/extreme.dcm"
            try DICOMWriter.write(image, to: path, attributes: DICOMAttributes(rescaleSlope: slope, rescaleIntercept: intercept))
            let pixels = try DICOMFile(path: path).importedImage().pixels
            XCTAssertEqual(pixels, slope > 0 ? image.pixels : image.pixels.map { 65535 - $0 }, "slope \(slope), intercept \(intercept)")
        }
    }

    private static func assertClose(_ got: [UInt16], _ want: [Int], _ message: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(got.count, want.count, message, file: file, line: line)
        let worst = zip(got, want).map { abs(Int($0) - $1) }.max() ?? 0
        XCTAssertLessThanOrEqual(worst, 1, "\(message): largest difference \(worst)", file: file, line: line)
    }
}
