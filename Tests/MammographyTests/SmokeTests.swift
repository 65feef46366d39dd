import XCTest

final class MammographyTestsSmoke: XCTestCase {
    func testBuilds() { XCTAssertTrue(true) }
}
