import Foundation
import XCTest
@testable import ImageCodecs

/// The packet estimate from COD / COC, the guard against quality layers and precincts that
/// OpenJPEG would walk one by one.
final class JPEG2000PacketEstimateTests: XCTestCase {
    private typealias Crafted = CraftedJPEG2000

    private func estimate(_ codestream: [UInt8]) throws -> JPEG2000PacketEstimate {
        let size = try JPEG2000ImageAndTileSize(codestream: codestream[...])
        return JPEG2000PacketEstimate(codestream: codestream[...].dropFirst(4 + size.segmentLength), size: size)
    }

    /// opj_compress -t 64,64 on 130 × 90: 3 × 2 tiles, 1 layer, 6 resolutions, default precincts
    /// (opj_dump: tw=3, th=2, numlayers=1, numresolutions=6), so 6 packets per tile.
    func testOpenJPEGTiledFileCountsItsPackets() throws {
        let packets = try estimate(CodecFixture.named("opj_lossless_tiled_12bit.j2k", in: "jpeg2000").data)
        XCTAssertEqual(packets.layers, 1)
        XCTAssertEqual(packets.packetsPerLayerAndTileComponent, 6)
        XCTAssertEqual(packets.tileComponents, 6)
        XCTAssertThrowsError(try packets.check(against: DecodeLimits(maximumSamples: 1 << 20, maximumPackets: 35))) { error in
            XCTAssertTrue("\(error)".contains("1 layers × 6 precincts over its resolutions × 6 tile-components, above the limit of 35 packets"), "\(error)")
        }
        XCTAssertNoThrow(try packets.check(against: DecodeLimits(maximumSamples: 1 << 20, maximumPackets: 36)))
    }

    func testEveryFixtureIsWellInsideTheDefault() throws {
        for fixture in try CodecFixture.all(in: "jpeg2000") where fixture.refused != true {
            let codestream = try JPEG2000Container(signatureOf: fixture.data).codestream(in: fixture.data)
            let packets = try estimate(Array(codestream))
            XCTAssertNoThrow(try packets.check(against: DecodeLimits(maximumSamples: 1 << 30, maximumPackets: 1000)), fixture.name)
        }
    }

    func testLayersAndPrecinctsOfTheMainHeaderAreCounted() throws {
        // 256 × 128 in 64 × 64 tiles: 8 tiles; 3 levels, precincts 2⁴ (16 × 16) at every resolution:
        // resolution sizes 8, 16, 32, 64 across a tile → 1, 1, 2 × 2, 4 × 4 precincts = 22.
        let header = Crafted.siz() + Crafted.cod(layers: 7, levels: 3, precincts: [0x44, 0x44, 0x44, 0x44]) + Crafted.qcd(levels: 3)
        let packets = try estimate(header + [0xFF, 0xD9])
        XCTAssertEqual(packets.layers, 7)
        XCTAssertEqual(packets.packetsPerLayerAndTileComponent, 22)
        XCTAssertEqual(packets.tileComponents, 8)
        XCTAssertThrowsError(try packets.check(against: DecodeLimits(maximumSamples: 1 << 20, maximumPackets: 7 * 22 * 8 - 1)))
        XCTAssertNoThrow(try packets.check(against: DecodeLimits(maximumSamples: 1 << 20, maximumPackets: 7 * 22 * 8)))
    }

    /// A tile-part header may redefine the coding style; the worst one counts for every tile.
    func testTilePartCodingStylesAreCounted() throws {
        let main = Crafted.siz(components: 2) + Crafted.cod(layers: 1) + Crafted.qcd()
        let withTileCOD = main + Crafted.tilePart(index: 0, header: Crafted.cod(layers: 65000), data: [0, 0, 0])
            + Crafted.tilePart(index: 1, header: [], data: [0]) + [0xFF, 0xD9]
        let layered = try estimate(withTileCOD)
        XCTAssertEqual(layered.layers, 65000)
        XCTAssertThrowsError(try layered.check(against: .default)) { error in
            XCTAssertTrue("\(error)".contains("65000 layers × 6 precincts over its resolutions × 16 tile-components, above the limit of 524288 packets"), "\(error)")
        }
        // A COC in the second tile-part: component 1 in 2⁰ = 1-pixel precincts at 1 level (32², 64² precincts).
        let withTileCOC = main + Crafted.tilePart(index: 0, header: [], data: [0, 0])
            + Crafted.tilePart(index: 1, header: Crafted.coc(component: 1, levels: 1, precincts: [0x00, 0x00]), data: [0]) + [0xFF, 0xD9]
        XCTAssertEqual(try estimate(withTileCOC).packetsPerLayerAndTileComponent, 32 * 32 + 64 * 64)
    }

    /// (2³² − 1)² one-pixel tiles overflow Int: the count saturates, and is refused, never wraps.
    func testTileComponentCountsSaturate() throws {
        let packets = try estimate(Crafted.siz(width: .max, height: .max, tile: 1))
        XCTAssertEqual(packets.tileComponents, .max)
        XCTAssertThrowsError(try packets.check(against: DecodeLimits(maximumSamples: .max, maximumTileComponents: .max)))
    }

    /// What the walk cannot follow ends it (OpenJPEG refuses such data itself); it never traps.
    func testDamagedMarkerWalksStop() throws {
        let main = Crafted.siz() + Crafted.cod(layers: 3)
        XCTAssertEqual(try estimate(main + [0xFF, 0x64, 0xFF, 0xFF] + Crafted.cod(layers: 9000)).layers, 3)  // length past the end
        XCTAssertEqual(try estimate(main + [0xFF, 0x52, 0, 5, 0, 0, 1]).layers, 3)  // COD cut short
        XCTAssertEqual(try estimate(main + [0xFF, 0x93] + Crafted.cod(layers: 9000)).layers, 3)  // SOD outside a tile-part
        XCTAssertEqual(try estimate(Crafted.siz() + [0xFF, 0x52, 0, 12, 1, 0, 0, 9, 0, 5, 4, 4, 0, 1]).layers, 1)  // precincts missing
        for cut in stride(from: 0, to: main.count, by: 3) { _ = try estimate(Array(main.prefix(max(cut, 48)))) }
    }

    /// The fuzzer's second slow unit: 6.5 kB whose COD claims 65,359 layers (2.35 M packets over
    /// 2 tiles × 3 components × 6 resolutions) kept OpenJPEG busy 5.5 s under AddressSanitizer.
    func testFuzzerSlowUnitIsRefusedQuickly() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let data = [UInt8](try Data(contentsOf: repository.appendingPathComponent("fuzz/regressions/jpeg2000/slow-5.5s-cod-65359-layers.j2k")))
        let start = Date()
        XCTAssertThrowsError(try JPEG2000Decoder.decode(data, limits: .default)) { error in
            XCTAssertTrue("\(error)".contains("65359 layers × 6 precincts over its resolutions × 6 tile-components"), "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 1, "the 5.5 s packet walk is back")
    }
}
