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

    func testTileComponentsAboveTheLimitOrOverflowingAreRefused() {
        let limits = DecodeLimits(maximumSamples: 100, maximumTileComponents: 12)
        XCTAssertNoThrow(try limits.checkTiles(across: 2, down: 2, components: 3))
        XCTAssertThrowsError(try limits.checkTiles(across: 13, down: 1, components: 1))
        XCTAssertThrowsError(try limits.checkTiles(across: Int.max, down: 2, components: 1))
        XCTAssertThrowsError(try limits.checkTiles(across: 1 << 32, down: 1 << 31, components: 3))
        XCTAssertEqual(DecodeLimits.default.maximumTileComponents, 4096)
    }

    func testPacketsAboveTheLimitOrOverflowingAreRefused() {
        let limits = DecodeLimits(maximumSamples: 100, maximumPackets: 60)
        XCTAssertNoThrow(try limits.checkPackets(layers: 2, packetsPerLayer: 6, tileComponents: 5))
        XCTAssertThrowsError(try limits.checkPackets(layers: 61, packetsPerLayer: 1, tileComponents: 1))
        XCTAssertThrowsError(try limits.checkPackets(layers: 65535, packetsPerLayer: Int.max, tileComponents: 1))
        XCTAssertThrowsError(try limits.checkPackets(layers: 1 << 16, packetsPerLayer: 1 << 32, tileComponents: 1 << 16))
        XCTAssertEqual(DecodeLimits.default.maximumPackets, 1 << 19)
    }
}
