import Foundation
import XCTest
@testable import MammoData

/// Headers and streams that claim more memory than `ReadLimits` allows are refused before
/// the memory is taken; numbers that cannot be coordinates never reach arithmetic.
final class ReadLimitsTests: XCTestCase {
    func testPixelProductIsOverflowChecked() {
        let limits = ReadLimits()
        XCTAssertNoThrow(try limits.checkPixels(width: 4096, height: 5625, file: "f"))
        for (width, height) in [(Int.max, 2), (1 << 32, 1 << 32), (0, 10), (-1, -1), (1 << 15, 1 << 14)] {
            XCTAssertThrowsError(try limits.checkPixels(width: width, height: height, file: "f"), "\(width)x\(height)")
        }
    }

    func testInflateStopsAtTheLimit() throws {
        let stream = try RawDeflate.deflate([UInt8](repeating: 7, count: 1_000_000), file: "f")
        XCTAssertEqual(try RawDeflate.inflate(stream[...], limit: 1_000_000, file: "f").count, 1_000_000)
        XCTAssertThrowsError(try RawDeflate.inflate(stream[...], limit: 999_999, file: "f")) { error in
            XCTAssertTrue("\(error)".contains("--max-decompressed-bytes"), "\(error)")
        }
        XCTAssertThrowsError(try RawDeflate.inflate(stream.dropLast(10), limit: 2_000_000, file: "f"))
        XCTAssertThrowsError(try RawDeflate.inflate([][...], file: "f"))
    }

    func testPNGHeaderIsCheckedBeforeDecoding() throws {
        let png = try PNG.encode(GrayImage(width: 40, height: 30, bitDepth: 8))
        XCTAssertEqual(try PNG.decodeGray(png, file: "f", limits: ReadLimits(maxPixels: 1200)).width, 40)
        XCTAssertThrowsError(try PNG.decodeGray(png, file: "f", limits: ReadLimits(maxPixels: 1199))) { error in
            XCTAssertTrue("\(error)".contains("--max-pixels"), "\(error)")
        }
    }

    func testPGMHeaderIsCheckedAgainstTheLimit() {
        let pgm = Array("P5 100 100 255\n".utf8) + [UInt8](repeating: 1, count: 10_000)
        XCTAssertNoThrow(try PGM.parse(pgm, file: "f", limits: ReadLimits(maxPixels: 10_000)))
        XCTAssertThrowsError(try PGM.parse(pgm, file: "f", limits: ReadLimits(maxPixels: 9_999)))
    }

    func testDICOMFromBytesRefusesGarbage() {
        XCTAssertThrowsError(try DICOMFile(bytes: [], path: "f"))
        XCTAssertThrowsError(try DICOMFile(bytes: [UInt8](repeating: 0xFF, count: 300), path: "f"))
    }

    func testMIASRowsWithImpossibleNumbers() throws {
        XCTAssertEqual(try MIASInfo.parse("mdb001 G CIRC B 535 425 197\n", file: "Info.txt").first?.circle?.radius, 197)
        for row in ["mdb001 G CIRC B nan 1 1", "mdb001 G CIRC B 1 inf 1", "mdb001 G CIRC B 1 1 1e300",
                    "mdb001 G CIRC B -1 1 1", "mdb9223372036854775807 G NORM", "mdbx G NORM"] {
            XCTAssertThrowsError(try MIASInfo.parse(row + "\n", file: "Info.txt"), row)
        }
    }

    func testLesionPixelsAreSubsampledEvenly() {
        let side = 100
        let image = GrayImage(width: side, height: side, bitDepth: 8)
        let mask = GrayImage(width: side, height: side, bitDepth: 8, pixels: [UInt16](repeating: 255, count: side * side))
        let sample = DecodedSample(image: image, mask: mask)
        let step = Double(side * side) / Double(DecodedSample.maxLesionPixels)
        XCTAssertEqual(sample.lesionPixels, (0..<DecodedSample.maxLesionPixels).map { Int(Double($0) * step) })
    }
}
