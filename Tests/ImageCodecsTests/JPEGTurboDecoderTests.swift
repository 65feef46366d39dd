import XCTest
@testable import ImageCodecs

final class JPEGTurboDecoderTests: XCTestCase {
    private func decode(_ data: [UInt8]) throws -> DecodedImage { try JPEGTurboDecoder.decode(data, limits: .default) }

    func testEveryEightBitFixtureMatchesPylibjpeg() throws {
        let fixtures = try CodecFixture.all(in: "jpegturbo").filter { $0.refused != true }
        XCTAssertGreaterThanOrEqual(fixtures.count, 5)
        for fixture in fixtures {
            do {
                fixture.assertMatches(try decode(fixture.data))
            } catch {
                XCTFail("\(fixture.name) (\(fixture.encoder)): \(error)")
            }
        }
    }

    func testTwelveBitAndLosslessAreRefusedClearly() throws {
        let twelveBit = try CodecFixture.named("dcmcjpeg_extended_12bit.jpg", in: "jpegturbo")
        XCTAssertThrowsError(try decode(twelveBit.data)) { error in
            XCTAssertTrue("\(error)".contains("12-bit extended sequential (SOF1, Huffman) JPEG is not decoded by libjpeg"), "\(error)")
        }
        let lossless = try CodecFixture.named("dcmcjpeg_lossless_16bit.jpg", in: "jpegturbo")
        XCTAssertThrowsError(try decode(lossless.data)) { error in
            XCTAssertTrue("\(error)".contains("lossless JPEG"), "\(error)")
        }
    }

    func testTruncatedCodestreamsThrow() throws {
        for name in ["dcmcjpeg_baseline_8bit.jpg", "dcmcjpeg_progressive_8bit.jpg", "dcmcjpeg_baseline_8bit_rgb.jpg"] {
            DamagedCodestreams.assertTruncationsThrow(try CodecFixture.named(name, in: "jpegturbo").data, decode: decode)
        }
    }

    func testFlippedBytesNeverTrap() throws {
        for name in ["dcmcjpeg_baseline_8bit.jpg", "dcmcjpeg_progressive_8bit.jpg", "dcmcjpeg_baseline_8bit_rgb.jpg"] {
            DamagedCodestreams.assertByteFlipsAreSafe(try CodecFixture.named(name, in: "jpegturbo").data, decode: decode)
        }
    }

    func testHeaderClaimingAHugeImageIsRefusedByTheLimits() throws {
        var data = try CodecFixture.named("dcmcjpeg_baseline_8bit.jpg", in: "jpegturbo").data
        // SOF0: FF C0 Lf(2) P(1) Y(2) X(2); claim 65000 × 65000.
        let sof = try XCTUnwrap((0..<data.count - 1).first { data[$0] == 0xFF && data[$0 + 1] == 0xC0 })
        data.replaceSubrange(sof + 5..<sof + 9, with: [0xFD, 0xE8, 0xFD, 0xE8])
        XCTAssertThrowsError(try decode(data)) { error in
            XCTAssertTrue("\(error)".contains("above the limit"), "\(error)")
        }
    }

    func testOtherDataIsRefused() {
        XCTAssertThrowsError(try decode([0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50])) { error in
            XCTAssertTrue("\(error)".hasPrefix("JPEG: jpeg_read_header failed"), "\(error)")
        }
        XCTAssertThrowsError(try decode([]))
    }
}
