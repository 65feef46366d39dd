import XCTest

final class MammoDataTestsSmoke: XCTestCase {
    func testBuilds() { XCTAssertTrue(true) }
}
