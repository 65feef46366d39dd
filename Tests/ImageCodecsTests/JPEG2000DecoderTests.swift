import XCTest
@testable import ImageCodecs

final class JPEG2000DecoderTests: XCTestCase {
    private func decode(_ data: [UInt8]) throws -> DecodedImage { try JPEG2000Decoder.decode(data, limits: .default) }

    func testEveryFixtureMatchesPylibjpeg() throws {
        let fixtures = try CodecFixture.all(in: "jpeg2000")
        XCTAssertGreaterThanOrEqual(fixtures.count, 10)
        for fixture in fixtures {
            do {
                fixture.assertMatches(try decode(fixture.data))
            } catch {
                XCTFail("\(fixture.name) (\(fixture.encoder)): \(error)")
            }
        }
    }

    func testHTJ2KFromOpenJPHDecodes() throws {
        let fixtures = try CodecFixture.all(in: "jpeg2000").filter { $0.name.hasPrefix("ojph_htj2k") }
        XCTAssertEqual(fixtures.count, 3, "the HTJ2K fixtures are missing")
        for fixture in fixtures { fixture.assertMatches(try decode(fixture.data)) }
    }

    func testSignedSamplesAreSignExtended() throws {
        let fixture = try CodecFixture.named("opj_lossless_16bit_signed.j2k", in: "jpeg2000")
        let image = try decode(fixture.data)
        XCTAssertTrue(image.isSigned)
        XCTAssertEqual(image.samples.min(), -32768)
        XCTAssertEqual(image.samples.max(), 32767)
    }

    func testOneThreadDecodesTheSameAsAllCores() throws {
        let fixture = try CodecFixture.named("opj_lossless_tiled_12bit.j2k", in: "jpeg2000")
        let single = try JPEG2000Decoder.decode(fixture.data, limits: DecodeLimits(maximumSamples: 1 << 20, threads: 1))
        let all = try JPEG2000Decoder.decode(fixture.data, limits: DecodeLimits(maximumSamples: 1 << 20, threads: 0))
        XCTAssertEqual(single, all)
    }

    func testTruncatedCodestreamsThrow() throws {
        for name in ["opj_lossless_12bit.jp2", "opj_lossless_16bit_signed.j2k", "ojph_htj2k_lossless_12bit.j2k", "gdcm_lossy_12bit_rate.j2k"] {
            DamagedCodestreams.assertTruncationsThrow(try CodecFixture.named(name, in: "jpeg2000").data, decode: decode)
        }
    }

    func testFlippedBytesNeverTrap() throws {
        for name in ["opj_lossless_16bit_signed.j2k", "ojph_htj2k_lossless_12bit.j2k", "opj_lossy_14bit_ratio10.j2k"] {
            DamagedCodestreams.assertByteFlipsAreSafe(try CodecFixture.named(name, in: "jpeg2000").data, decode: decode)
        }
    }

    func testHeaderClaimingAHugeImageIsRefusedByTheLimits() throws {
        var data = try CodecFixture.named("opj_lossless_16bit_signed.j2k", in: "jpeg2000").data
        // SIZ: FF4F FF51 Lsiz(2) Rsiz(2) Xsiz(4) Ysiz(4) XOsiz(4) YOsiz(4) XTsiz(4) YTsiz(4) …;
        // claim 60000 × 60000 in one tile.
        for offset in [8, 12, 24, 28] { data.replaceSubrange(offset..<offset + 4, with: [0x00, 0x00, 0xEA, 0x60]) }
        XCTAssertThrowsError(try decode(data)) { error in
            XCTAssertTrue("\(error)".contains("above the limit"), "\(error)")
        }
        let small = DecodeLimits(maximumSamples: 1000)
        XCTAssertThrowsError(try JPEG2000Decoder.decode(try CodecFixture.named("opj_lossless_12bit.jp2", in: "jpeg2000").data, limits: small)) { error in
            XCTAssertTrue("\(error)".contains("above the limit"), "\(error)")
        }
    }

    func testOtherDataIsRefusedByItsSignature() {
        XCTAssertThrowsError(try decode([0xFF, 0xD8, 0xFF, 0xE0, 0, 0])) { error in
            XCTAssertTrue("\(error)".contains("not JPEG 2000"), "\(error)")
        }
        XCTAssertThrowsError(try decode([]))
    }
}
