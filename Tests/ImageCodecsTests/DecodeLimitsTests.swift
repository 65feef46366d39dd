import XCTest
@testable import ImageCodecs

final class DecodeLimitsTests: XCTestCase {
    func testGeometryAboveTheLimitOrOverflowingIsRefused() {
        let limits = DecodeLimits(maximumSamples: 100)
        XCTAssertNoThrow(try limits.check(width: 10, height: 10, components: 1))
        XCTAssertThrowsError(try limits.check(width: 11, height: 10, components: 1))
        XCTAssertThrowsError(try limits.check(width: 0, height: 10, components: 1))
        XCTAssertThrowsError(try limits.check(width: Int.max, height: Int.max, components: 3))
    }
}
