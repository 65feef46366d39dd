import Foundation
import XCTest
@testable import ImageCodecs

/// The codestreams of Fixtures/jpeg/ and what pylibjpeg-libjpeg decoded from them
/// (scripts/fixtures/make_jpeg_fixtures.py writes both).
struct JPEGFixture: Decodable {
    let encoder: String
    let decoder: String
    let marker: Int
    let width: Int
    let height: Int
    let components: Int
    let precision: Int
    let tolerance: Int
    let min: Int
    let max: Int
    let samples: [Int32]?
    let sha256: String?
    /// Who decoded the expected samples: "pylibjpeg-libjpeg", or another where that oracle is wrong.
    let reference: String

    static func all() throws -> [String: JPEGFixture] {
        let url = try XCTUnwrap(Bundle.module.url(forResource: "expected", withExtension: "json",
                                                  subdirectory: "Fixtures/jpeg"))
        return try JSONDecoder().decode([String: JPEGFixture].self, from: Data(contentsOf: url))
    }

    static func codestream(_ name: String) throws -> [UInt8] {
        let url = try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: "jpg",
                                                  subdirectory: "Fixtures/jpeg"))
        return [UInt8](try Data(contentsOf: url))
    }

    /// Fixtures for one decoder ("lossless" or "sequential"), sorted by name.
    static func named(decoder: String) throws -> [(String, JPEGFixture)] {
        try all().filter { $0.value.decoder == decoder }.sorted { $0.key < $1.key }
    }

    func assertMatches(_ image: DecodedImage, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(image.width, width, name, file: file, line: line)
        XCTAssertEqual(image.height, height, name, file: file, line: line)
        XCTAssertEqual(image.components, components, name, file: file, line: line)
        XCTAssertEqual(image.precision, precision, name, file: file, line: line)
        XCTAssertEqual(image.samples.count, width * height * components, name, file: file, line: line)
        if let samples {
            guard samples.count == image.samples.count else { return }
            var worst = 0, worstIndex = 0
            for index in samples.indices {
                let error = abs(Int(samples[index]) - Int(image.samples[index]))
                if error > worst { (worst, worstIndex) = (error, index) }
            }
            XCTAssertLessThanOrEqual(worst, tolerance,
                                     "\(name): sample \(worstIndex) is \(image.samples[worstIndex]), the oracle says \(samples[worstIndex])",
                                     file: file, line: line)
        }
        if let sha256 {
            var bytes = [UInt8]()
            bytes.reserveCapacity(image.samples.count * 4)
            for sample in image.samples {
                withUnsafeBytes(of: sample.littleEndian) { bytes.append(contentsOf: $0) }
            }
            XCTAssertEqual(SHA256.hex(bytes), sha256, "\(name): samples differ from the oracle's", file: file, line: line)
            XCTAssertEqual(image.samples.min().map(Int.init), min, name, file: file, line: line)
            XCTAssertEqual(image.samples.max().map(Int.init), max, name, file: file, line: line)
        }
    }
}

/// Every way a decoder may fail on damaged data: a thrown `CodecError`, nothing else.
func assertDamagedDataIsHandled(_ data: [UInt8], decode: ([UInt8]) throws -> DecodedImage,
                                file: StaticString = #filePath, line: UInt = #line) {
    do {
        _ = try decode(data)
    } catch is CodecError {
    } catch {
        XCTFail("expected a CodecError, got \(error)", file: file, line: line)
    }
}

/// A small deterministic generator, so byte-flip tests are repeatable.


/// `data` rewritten the way a DNL-writing encoder would: height 0 in the SOF, and a DNL segment
/// with the real height after the (single) scan, just before EOI.
func movingHeightToDefineNumberOfLines(_ data: [UInt8], keepSegment: Bool = true) throws -> [UInt8] {
    let sof = try XCTUnwrap((2..<(data.count - 1)).first { data[$0] == 0xFF && [0xC0, 0xC1, 0xC3].contains(data[$0 + 1]) })
    XCTAssertEqual(Array(data.suffix(2)), [0xFF, 0xD9])
    var patched = data
    let height = Array(data[(sof + 5)...(sof + 6)])
    patched[sof + 5] = 0
    patched[sof + 6] = 0
    patched.removeLast(2)
    if keepSegment { patched += [0xFF, 0xDC, 0x00, 0x04] + height }
    return patched + [0xFF, 0xD9]
}
