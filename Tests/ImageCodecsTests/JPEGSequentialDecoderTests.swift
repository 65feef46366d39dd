import XCTest
@testable import ImageCodecs

final class JPEGSequentialDecoderTests: XCTestCase {
    func testEverySequentialFixtureMatchesTheOracleWithinTwo() throws {
        let fixtures = try JPEGFixture.named(decoder: "sequential")
        XCTAssertGreaterThanOrEqual(fixtures.count, 5)
        for (name, fixture) in fixtures {
            let image = try JPEGSequentialDecoder.decode(try JPEGFixture.codestream(name))
            fixture.assertMatches(image, name)
        }
    }

    func testFrameHeaderTellsTwelveBitExtendedFromBaseline() throws {
        let extended = try JPEGFrameHeader.read(try JPEGFixture.codestream("dcmtk_extended12"))
        XCTAssertEqual(extended.process, .extendedSequential)
        XCTAssertEqual(extended.precision, 12)
        let baseline = try JPEGFrameHeader.read(try JPEGFixture.codestream("dcmtk_baseline8"))
        XCTAssertEqual(baseline.process, .baseline)
        XCTAssertEqual(baseline.precision, 8)
    }

    func testProgressiveAndArithmeticFramesAreRefusedClearly() throws {
        let data = try JPEGFixture.codestream("dcmtk_extended12")
        let sof = try XCTUnwrap((0..<(data.count - 1)).first { data[$0] == 0xFF && data[$0 + 1] == 0xC1 })
        for (marker, words) in [(UInt8(0xC2), "progressive (SOF2, Huffman) JPEG of 12 bits is not supported"),
                                (UInt8(0xC9), "arithmetic")] {
            var patched = data
            patched[sof + 1] = marker
            XCTAssertEqual(try JPEGFrameHeader.read(patched).marker, marker)
            XCTAssertThrowsError(try JPEGSequentialDecoder.decode(patched)) { error in
                XCTAssertTrue("\(error)".contains(words), "\(error)")
            }
        }
        XCTAssertThrowsError(try JPEGSequentialDecoder.decode(try JPEGFixture.codestream("dcmtk_lossless16_sv1")))
    }

    func testSixteenBitQuantizationTablesAndFillBytesReadTheSame() throws {
        let data = try JPEGFixture.codestream("dcmtk_extended12")
        let reference = try JPEGSequentialDecoder.decode(data)
        // Rewrite every DQT segment with 16-bit entries, and put fill bytes (FF) before each marker.
        var rewritten: [UInt8] = [0xFF, 0xD8]
        var position = 2
        var sawQuantization = false
        while position < data.count {
            let marker = data[position + 1]
            rewritten += [0xFF, 0xFF, 0xFF, marker]
            if marker == 0xDA {  // SOS: copy it and the rest of the stream as is
                rewritten += data[(position + 2)...]
                break
            }
            let length = Int(data[position + 2]) << 8 | Int(data[position + 3])
            let body = Array(data[(position + 4)..<(position + 2 + length)])
            if marker == 0xDB {
                sawQuantization = true
                var wide: [UInt8] = []
                var index = 0
                while index < body.count {
                    XCTAssertEqual(body[index] >> 4, 0)
                    wide.append(0x10 | body[index])
                    for entry in body[(index + 1)..<(index + 65)] { wide += [0, entry] }
                    index += 65
                }
                rewritten += [UInt8((wide.count + 2) >> 8), UInt8((wide.count + 2) & 0xFF)] + wide
            } else {
                rewritten += data[(position + 2)..<(position + 2 + length)]
            }
            position += 2 + length
        }
        XCTAssertTrue(sawQuantization)
        XCTAssertEqual(try JPEGSequentialDecoder.decode(rewritten), reference)
    }

    func testTruncatedCodestreamsThrow() throws {
        for name in ["dcmtk_extended12", "pillow_baseline8_restart", "pillow_baseline8_444"] {
            let data = try JPEGFixture.codestream(name)
            for length in [0, 1, 2, 5, 30, 150, 400, data.count / 2, data.count - 30, data.count - 8] {
                XCTAssertThrowsError(try JPEGSequentialDecoder.decode(Array(data.prefix(length))), "\(name) cut to \(length)") { error in
                    XCTAssertTrue(error is CodecError, "\(error)")
                }
            }
        }
    }

    func testEveryPrefixOfASmallCodestreamThrowsOrDecodesWhole() throws {
        let data = try JPEGFixture.codestream("dcmtk_baseline8")
        let reference = try JPEGSequentialDecoder.decode(data)
        for length in 0..<data.count {
            do {
                let image = try JPEGSequentialDecoder.decode(Array(data.prefix(length)))
                XCTAssertEqual(image, reference, "cut to \(length)")
                XCTAssertGreaterThanOrEqual(length, data.count - 4, "cut to \(length) decoded")
            } catch {
                XCTAssertTrue(error is CodecError, "\(error)")
            }
        }
    }

    func testAHeightGivenByADefineNumberOfLinesSegmentIsRead() throws {
        let data = try JPEGFixture.codestream("dcmtk_baseline8")
        let reference = try JPEGSequentialDecoder.decode(data)
        let moved = try movingHeightToDefineNumberOfLines(data)
        XCTAssertEqual(try JPEGFrameHeader.read(moved).height, 0)
        XCTAssertEqual(try JPEGSequentialDecoder.decode(moved), reference)
        XCTAssertThrowsError(try JPEGSequentialDecoder.decode(try movingHeightToDefineNumberOfLines(data, keepSegment: false))) { error in
            XCTAssertTrue("\(error)".contains("no DNL segment"), "\(error)")
        }
    }

    func testRandomByteFlipsNeverTrap() throws {
        var random = SplitMix64(seed: 7)
        for name in ["dcmtk_extended12_q75_odd", "pillow_baseline8_restart", "pillow_baseline8_444"] {
            let data = try JPEGFixture.codestream(name)
            for _ in 0..<150 {
                var damaged = data
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    damaged[Int.random(in: 0..<damaged.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
                assertDamagedDataIsHandled(damaged) { try JPEGSequentialDecoder.decode($0, limits: DecodeLimits(maximumSamples: 1 << 22)) }
            }
        }
    }

    func testAHugeDeclaredFrameIsRefusedByTheLimitsBeforeDecoding() throws {
        let header: [UInt8] = [0xFF, 0xD8, 0xFF, 0xC1, 0x00, 0x0B, 12, 0xEA, 0x60, 0xEA, 0x60, 1, 1, 0x11, 0, 0xFF, 0xD9]
        XCTAssertThrowsError(try JPEGSequentialDecoder.decode(header)) { error in
            XCTAssertTrue("\(error)".contains("above the limit"), "\(error)")
        }
    }
}
