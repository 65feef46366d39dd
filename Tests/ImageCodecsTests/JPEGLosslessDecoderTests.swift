import XCTest
@testable import ImageCodecs

final class JPEGLosslessDecoderTests: XCTestCase {
    func testEveryLosslessFixtureDecodesExactlyAsTheOracle() throws {
        let fixtures = try JPEGFixture.named(decoder: "lossless")
        XCTAssertGreaterThanOrEqual(fixtures.count, 15)
        for (name, fixture) in fixtures {
            let image = try JPEGLosslessDecoder.decode(try JPEGFixture.codestream(name))
            fixture.assertMatches(image, name)
        }
    }

    func testFrameHeaderNamesTheProcessAndGeometry() throws {
        let header = try JPEGFrameHeader.read(try JPEGFixture.codestream("dcmtk_lossless12_sv1"))
        XCTAssertEqual(header.process, .lossless)
        XCTAssertEqual(header.entropyCoding, .huffman)
        XCTAssertFalse(header.isDifferential)
        XCTAssertEqual(header.marker, 0xC3)
        XCTAssertEqual(header.precision, 12)
        XCTAssertEqual(header.width, 97)
        XCTAssertEqual(header.height, 61)
        XCTAssertEqual(header.components.count, 1)
        let rgb = try JPEGFrameHeader.read(try JPEGFixture.codestream("dcmtk_lossless8_rgb_sv1"))
        XCTAssertEqual(rgb.components.count, 3)
    }

    func testJunkAfterEndOfImageAndAMissingEndOfImageAreTolerated() throws {
        let data = try JPEGFixture.codestream("dcmtk_lossless16_sv1")
        let reference = try JPEGLosslessDecoder.decode(data)
        XCTAssertEqual(Array(data.suffix(2)), [0xFF, 0xD9])
        XCTAssertEqual(try JPEGLosslessDecoder.decode(data + [0x00, 0x12, 0xFF, 0x00, 0x7F]), reference)
        XCTAssertEqual(try JPEGLosslessDecoder.decode(Array(data.dropLast(2))), reference)
        XCTAssertEqual(try JPEGLosslessDecoder.decode(Array(data.dropLast(2)) + [0x00, 0x00]), reference)
        XCTAssertEqual(try JPEGLosslessDecoder.decode(Array(data.dropLast(2)) + [0xFF, 0xFF, 0xFF, 0xD9]), reference)
    }

    func testOtherProcessesAreRefusedWithTheirName() throws {
        let sequential = try JPEGFixture.codestream("dcmtk_extended12")
        XCTAssertThrowsError(try JPEGLosslessDecoder.decode(sequential)) { error in
            XCTAssertTrue("\(error)".contains("extended sequential (SOF1, Huffman)"), "\(error)")
        }
        XCTAssertThrowsError(try JPEGLosslessDecoder.decode([0x89, 0x50, 0x4E, 0x47])) { error in
            XCTAssertTrue(error is CodecError)
        }
    }

    func testTruncatedCodestreamsThrow() throws {
        for name in ["dcmtk_lossless16_sv1", "dcmtk_lossless8_rgb_sv1", "plain_lossless16_restart_row_sv4"] {
            let data = try JPEGFixture.codestream(name)
            // Every cut loses header bytes or coded bits (the last few bytes may be only fill and EOI).
            for length in [0, 1, 2, 5, 20, 100, 200, 400, data.count / 2, data.count - 40, data.count - 8] {
                XCTAssertThrowsError(try JPEGLosslessDecoder.decode(Array(data.prefix(length))), "\(name) cut to \(length)") { error in
                    XCTAssertTrue(error is CodecError, "\(error)")
                }
            }
        }
    }

    func testEveryPrefixOfASmallCodestreamThrowsOrDecodesWhole() throws {
        let data = try JPEGFixture.codestream("dcmtk_lossless16_extremes_sv1")
        let reference = try JPEGLosslessDecoder.decode(data)
        for length in 0..<data.count {
            do {
                // Only fill bytes and EOI may go missing without an error.
                let image = try JPEGLosslessDecoder.decode(Array(data.prefix(length)))
                XCTAssertEqual(image, reference, "cut to \(length)")
                XCTAssertGreaterThanOrEqual(length, data.count - 4, "cut to \(length) decoded")
            } catch {
                XCTAssertTrue(error is CodecError, "\(error)")
            }
        }
    }

    func testAHeightGivenByADefineNumberOfLinesSegmentIsRead() throws {
        let data = try JPEGFixture.codestream("dcmtk_lossless16_extremes_sv1")
        let reference = try JPEGLosslessDecoder.decode(data)
        let moved = try movingHeightToDefineNumberOfLines(data)
        XCTAssertEqual(try JPEGFrameHeader.read(moved).height, 0)
        XCTAssertEqual(try JPEGLosslessDecoder.decode(moved), reference)
        XCTAssertThrowsError(try JPEGLosslessDecoder.decode(try movingHeightToDefineNumberOfLines(data, keepSegment: false))) { error in
            XCTAssertTrue("\(error)".contains("no DNL segment"), "\(error)")
        }
    }

    func testRandomByteFlipsNeverTrap() throws {
        var random = SplitMix64(seed: 42)
        for name in ["dcmtk_lossless16_sv6", "dcmtk_lossless8_rgb_sv1", "plain_lossless16_restart_37_sv7"] {
            let data = try JPEGFixture.codestream(name)
            for _ in 0..<150 {
                var damaged = data
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    damaged[Int.random(in: 0..<damaged.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
                assertDamagedDataIsHandled(damaged) { try JPEGLosslessDecoder.decode($0, limits: DecodeLimits(maximumSamples: 1 << 22)) }
            }
        }
    }

    func testAHugeDeclaredFrameIsRefusedByTheLimitsBeforeDecoding() throws {
        // SOI, SOF3 claiming 60000 × 60000 × 1 of 16 bits, EOI: no entropy data at all.
        let header: [UInt8] = [0xFF, 0xD8, 0xFF, 0xC3, 0x00, 0x0B, 16, 0xEA, 0x60, 0xEA, 0x60, 1, 1, 0x11, 0, 0xFF, 0xD9]
        XCTAssertEqual(try JPEGFrameHeader.read(header).width, 60000)
        XCTAssertThrowsError(try JPEGLosslessDecoder.decode(header)) { error in
            XCTAssertTrue("\(error)".contains("above the limit"), "\(error)")
        }
        XCTAssertThrowsError(try JPEGLosslessDecoder.decode(try JPEGFixture.codestream("dcmtk_lossless16_sv1"),
                                                            limits: DecodeLimits(maximumSamples: 1000)))
        // Within the limits but far more samples than 17 bytes can code: refused before allocating.
        var plausible = header
        plausible[7...10] = [0x10, 0x00, 0x10, 0x00]
        XCTAssertThrowsError(try JPEGLosslessDecoder.decode(plausible)) { error in
            XCTAssertTrue("\(error)".contains("too few to code 4096 × 4096"), "\(error)")
        }
    }
}
