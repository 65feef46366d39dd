import XCTest
@testable import ImageCodecs

final class JPEGLSDecoderTests: XCTestCase {
    private func decode(_ data: [UInt8]) throws -> DecodedImage { try JPEGLSDecoder.decode(data, limits: .default) }

    func testEveryFixtureMatchesPylibjpeg() throws {
        let fixtures = try CodecFixture.all(in: "jpegls")
        XCTAssertGreaterThanOrEqual(fixtures.count, 8)
        for fixture in fixtures {
            do {
                fixture.assertMatches(try decode(fixture.data))
            } catch {
                XCTFail("\(fixture.name) (\(fixture.encoder)): \(error)")
            }
        }
    }

    func testLineAndSampleInterleavedColourDecodeAlike() throws {
        // The same pixels encoded twice: only the interleave mode differs.
        let line = try decode(try CodecFixture.named("dcmcjpls_lossless_8bit_rgb_line.jls", in: "jpegls").data)
        let sample = try decode(try CodecFixture.named("dcmcjpls_lossless_8bit_rgb_sample.jls", in: "jpegls").data)
        XCTAssertEqual(line.components, 3)
        XCTAssertEqual(line, sample)
    }

    func testTruncatedCodestreamsThrow() throws {
        for name in ["dcmcjpls_lossless_12bit.jls", "dcmcjpls_nearlossless_14bit_dev3.jls", "gdcm_lossless_10bit.jls", "dcmcjpls_lossless_8bit_rgb_line.jls"] {
            DamagedCodestreams.assertTruncationsThrow(try CodecFixture.named(name, in: "jpegls").data, decode: decode)
        }
    }

    func testFlippedBytesNeverTrap() throws {
        for name in ["dcmcjpls_lossless_12bit.jls", "dcmcjpls_nearlossless_14bit_dev3.jls", "dcmcjpls_lossless_8bit_rgb_sample.jls"] {
            DamagedCodestreams.assertByteFlipsAreSafe(try CodecFixture.named(name, in: "jpegls").data, decode: decode)
        }
    }

    func testHeaderClaimingAHugeImageIsRefusedByTheLimits() throws {
        var data = try CodecFixture.named("dcmcjpls_lossless_12bit.jls", in: "jpegls").data
        // SOF55: FF F7 Lf(2) P(1) Y(2) X(2); claim 65535 × 65535.
        let sof = try XCTUnwrap((0..<data.count - 1).first { data[$0] == 0xFF && data[$0 + 1] == 0xF7 })
        data.replaceSubrange(sof + 5..<sof + 9, with: [0xFF, 0xFF, 0xFF, 0xFF])
        XCTAssertThrowsError(try decode(data)) { error in
            XCTAssertTrue("\(error)".contains("above the limit"), "\(error)")
        }
    }

    func testOtherDataIsRefused() {
        XCTAssertThrowsError(try decode([0xFF, 0x4F, 0xFF, 0x51, 0, 0, 0, 0, 0xFF, 0xD9])) { error in
            XCTAssertTrue("\(error)".hasPrefix("JPEG-LS: charls_jpegls_decoder_read_header failed"), "\(error)")
        }
        XCTAssertThrowsError(try decode([]))
    }
}
