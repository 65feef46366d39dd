import Foundation
import XCTest
@testable import MammoData

final class PGMTests: XCTestCase {
    func testFixturesMatchNumpy() throws {
        let expected = try Fixtures.expected("pgm", as: [String: ExpectedImage].self)
        XCTAssertEqual(expected.count, 4)
        for (name, want) in expected {
            let image = try PGM.read(try Fixtures.path("pgm", name))
            want.assertMatches(image, name)
            XCTAssertEqual(try ImageFile.readGray(try Fixtures.path("pgm", name)), image, name)
        }
    }

    func testMaxvalMapsToWhite() throws {
        let image = try PGM.read(try Fixtures.path("pgm", "p5_maxval4095.pgm"))
        XCTAssertEqual(image.pixels.max(), 65535)
        XCTAssertEqual(image.pixels.min(), 0)
    }

    func testBadFilesAreErrors() throws {
        let truncated = try Fixtures.path("pgm", "p5_truncated.pgm")
        XCTAssertThrowsError(try PGM.read(truncated)) { error in
            XCTAssertTrue(String(describing: error).hasPrefix(truncated + ": truncated PGM"), "\(error)")
        }
        for (bad, reason) in [("P5 13 7\n", "header"), ("P2 2 1 15\n3 16\n", "exceeds maxval"), ("P5 0 7 255\n", "empty"),
                              ("P2 2 2 255\n1 2 3", "truncated"), ("P5 1 1 70000\n", "outside")] {
            XCTAssertThrowsError(try PGM.parse(Array(bad.utf8), file: "f.pgm"), bad) { error in
                XCTAssertTrue(String(describing: error).contains(reason), "\(bad): \(error)")
            }
        }
    }
}
