import Foundation
import XCTest
@testable import ImageCodecs

/// One entry of a fixture folder's expected.json (written by scripts/fixtures/make_codec_fixtures.py):
/// what pylibjpeg decoded from a codestream that another project's encoder wrote.
struct CodecFixture: Decodable {
    var name = ""
    var data: [UInt8] = []
    let encoder: String
    let width: Int?
    let height: Int?
    let components: Int?
    let precision: Int?
    let signed: Bool?
    let samples: [Int32]?
    let sha256: String?
    let min: Int32?
    let max: Int32?
    /// Largest difference allowed per sample (lossy JPEG: conforming IDCTs may differ by a step).
    let tolerance: Int32?
    /// The decoder must refuse this codestream with a CodecError.
    let refused: Bool?

    private enum CodingKeys: String, CodingKey {
        case encoder, width, height, components, precision, signed, samples, sha256, min, max, tolerance, refused
    }

    /// Every fixture of `folder` (jpeg2000, jpegls, jpegturbo), sorted by name.
    static func all(in folder: String) throws -> [CodecFixture] {
        let directory = try XCTUnwrap(Bundle.module.url(forResource: "Fixtures", withExtension: nil))
            .appendingPathComponent(folder)
        let json = try Data(contentsOf: directory.appendingPathComponent("expected.json"))
        let entries = try JSONDecoder().decode([String: CodecFixture].self, from: json)
        return try entries.keys.sorted().map { name in
            var fixture = entries[name]!
            fixture.name = name
            fixture.data = [UInt8](try Data(contentsOf: directory.appendingPathComponent(name)))
            return fixture
        }
    }

    static func named(_ name: String, in folder: String) throws -> CodecFixture {
        try XCTUnwrap(all(in: folder).first { $0.name == name }, "no fixture \(folder)/\(name)")
    }

    /// Checks geometry and samples of `image` against what the oracle decoded.
    func assertMatches(_ image: DecodedImage, file: StaticString = #filePath, line: UInt = #line) {
        let label = "\(name) (\(encoder))"
        XCTAssertEqual(image.width, width, label, file: file, line: line)
        XCTAssertEqual(image.height, height, label, file: file, line: line)
        XCTAssertEqual(image.components, components, label, file: file, line: line)
        XCTAssertEqual(image.precision, precision, label, file: file, line: line)
        XCTAssertEqual(image.isSigned, signed, label, file: file, line: line)
        if let samples {
            XCTAssertEqual(image.samples.count, samples.count, label, file: file, line: line)
            let allowed = tolerance ?? 0
            let worst = zip(image.samples, samples).map { abs($0 - $1) }.max() ?? 0
            XCTAssertLessThanOrEqual(worst, allowed, "\(label): samples differ from pylibjpeg's by up to \(worst)", file: file, line: line)
        }
        if let sha256 {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(image.samples.count * 4)
            for sample in image.samples { withUnsafeBytes(of: sample.littleEndian) { bytes.append(contentsOf: $0) } }
            XCTAssertEqual(image.samples.min(), min, label, file: file, line: line)
            XCTAssertEqual(image.samples.max(), max, label, file: file, line: line)
            XCTAssertEqual(SHA256.hex(bytes), sha256, "\(label): samples differ from pylibjpeg's", file: file, line: line)
        }
    }
}
