import XCTest
@testable import ImageCodecs

/// Feeds a decoder damaged copies of a good codestream: every truncation must throw a
/// CodecError; a flipped byte must throw one or decode to an image of consistent size (entropy
/// coded data cannot always tell a flipped bit), and neither may trap.
enum DamagedCodestreams {
    static func assertTruncationsThrow(_ data: [UInt8], decode: ([UInt8]) throws -> DecodedImage,
                                       file: StaticString = #filePath, line: UInt = #line) {
        let cuts = [0, 1, 3, 8, 20, data.count / 4, data.count / 2, data.count * 3 / 4, data.count - 16, data.count - 3]
        for length in Set(cuts.filter { $0 >= 0 && $0 < data.count }).sorted() {
            XCTAssertThrowsError(try decode(Array(data.prefix(length))), "truncated to \(length) of \(data.count) bytes",
                                 file: file, line: line) { error in
                XCTAssertTrue(error is CodecError, "truncated to \(length): \(error)", file: file, line: line)
            }
        }
    }

    static func assertByteFlipsAreSafe(_ data: [UInt8], decode: ([UInt8]) throws -> DecodedImage,
                                       file: StaticString = #filePath, line: UInt = #line) {
        var generator = SplitMix64(seed: UInt64(data.count))  // JPEGFixtures' generator
        let positions = Array(0..<min(48, data.count)) + (0..<64).map { _ in Int(generator.next() % UInt64(data.count)) }
        for position in positions {
            var damaged = data
            damaged[position] ^= 0xFF
            do {
                let image = try decode(damaged)
                XCTAssertEqual(image.samples.count, image.width * image.height * image.components,
                               "byte \(position) flipped", file: file, line: line)
            } catch {
                XCTAssertTrue(error is CodecError, "byte \(position) flipped: \(error)", file: file, line: line)
            }
        }
    }
}
