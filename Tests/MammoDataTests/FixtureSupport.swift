import Foundation
import XCTest
@testable import MammoData

/// Paths of committed fixtures (written by scripts/fixtures/make_dicom_fixtures.py) and their expected values.
enum Fixtures {
    static func path(_ folder: String, _ name: String) throws -> String {
        let url = try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures/\(folder)"),
                                "missing fixture \(folder)/\(name)")
        return url.path
    }

    static func expected<T: Decodable>(_ folder: String, as type: T.Type) throws -> T {
        let data = try Data(contentsOf: URL(fileURLWithPath: try path(folder, "expected.json")))
        return try JSONDecoder().decode(T.self, from: data)
    }

    /// A fresh empty folder under the temporary directory, removed when the test ends.
    static func temporaryFolder(_ test: XCTestCase) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("mammoseg-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        test.addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }
}

/// Expected header fields and pixels of one DICOM fixture, as pydicom and numpy saw them.
struct ExpectedDICOM: Decodable {
    let rows: Int, columns: Int
    let bitsAllocated: Int, bitsStored: Int, highBit: Int, pixelRepresentation: Int
    let photometricInterpretation: String
    let transferSyntaxUID: String
    let rescaleSlope: Double, rescaleIntercept: Double
    let windowCenter: Double?, windowWidth: Double?
    let laterality: String, viewPosition: String
    let patientID: String, seriesDescription: String, seriesInstanceUID: String
    let storedValues: [Int32]
    let importedImage: [UInt16]
    let windowedImage: [UInt16]?
}

/// Expected size, depth and pixels of one PGM or PNG fixture.
struct ExpectedImage: Decodable {
    let width: Int, height: Int, bitDepth: Int
    let pixels: [UInt16]

    /// Asserts that `image` has exactly this size, bit depth and pixel values.
    func assertMatches(_ image: GrayImage, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(image.width, width, name, file: file, line: line)
        XCTAssertEqual(image.height, height, name, file: file, line: line)
        XCTAssertEqual(image.bitDepth, bitDepth, name, file: file, line: line)
        XCTAssertEqual(image.pixels, pixels, name, file: file, line: line)
    }
}
