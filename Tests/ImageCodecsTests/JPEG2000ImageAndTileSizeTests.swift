import Foundation
import XCTest
@testable import ImageCodecs

/// Our reading of SIZ, the guard that runs before OpenJPEG's header reader.
final class JPEG2000ImageAndTileSizeTests: XCTestCase {
    private func siz(width: UInt32 = 256, height: UInt32 = 128, offset: UInt32 = 0, tile: UInt32 = 64, tileOffset: UInt32 = 0,
                     components: Int = 1, ssiz: UInt8 = 11, separation: UInt8 = 1, lengthAdjustment: Int = 0) -> [UInt8] {
        CraftedJPEG2000.siz(width: width, height: height, offset: offset, tile: tile, tileOffset: tileOffset, components: components,
                            ssiz: ssiz, separation: separation, lengthAdjustment: lengthAdjustment)
    }

    private func parse(_ bytes: [UInt8]) throws -> JPEG2000ImageAndTileSize {
        try JPEG2000ImageAndTileSize(codestream: bytes[...])
    }

    private func assertRefused(_ bytes: [UInt8], saying phrase: String, limits: DecodeLimits = .default,
                               file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try parse(bytes).check(against: limits), file: file, line: line) { error in
            XCTAssertTrue("\(error)".contains(phrase), "\(error)", file: file, line: line)
            XCTAssertFalse("\(error)".contains("\n"), "one line: \(error)", file: file, line: line)
        }
    }

    func testACraftedHeaderIsReadFieldByField() throws {
        let header = try parse(siz(width: 300, height: 200, offset: 10, tile: 64, tileOffset: 5, components: 3, ssiz: 0x8B))
        XCTAssertEqual(header.imageWidth, 290)
        XCTAssertEqual(header.imageHeight, 190)
        XCTAssertEqual(header.tilesAcross, 5)  // ⌈(300 − 5) / 64⌉
        XCTAssertEqual(header.tilesDown, 4)    // ⌈(200 − 5) / 64⌉
        XCTAssertEqual(header.components.count, 3)
        XCTAssertEqual(header.components[0], .init(precision: 12, isSigned: true, horizontalSeparation: 1, verticalSeparation: 1))
        XCTAssertNoThrow(try header.check(against: .default))
    }

    /// Every fixture (OpenJPEG's opj_compress, GDCM, pydicom, OpenJPH; J2K, JP2, HTJ2K): our SIZ
    /// agrees with what pylibjpeg decoded, and passes the default limits.
    func testEveryEncodersHeaderAgreesWithPylibjpeg() throws {
        for fixture in try CodecFixture.all(in: "jpeg2000") where fixture.refused != true {
            let container = try JPEG2000Container(signatureOf: fixture.data)
            let header = try JPEG2000ImageAndTileSize(codestream: try container.codestream(in: fixture.data))
            XCTAssertEqual(header.imageWidth, fixture.width, fixture.name)
            XCTAssertEqual(header.imageHeight, fixture.height, fixture.name)
            XCTAssertEqual(header.components.count, fixture.components, fixture.name)
            XCTAssertEqual(header.components.first?.precision, fixture.precision, fixture.name)
            XCTAssertEqual(header.components.first?.isSigned, fixture.signed, fixture.name)
            XCTAssertNoThrow(try header.check(against: .default), fixture.name)
        }
    }

    /// opj_compress -t 64,64 on a 130 × 90 image: 3 × 2 tiles.
    func testOpenJPEGTiledFileHasItsTiles() throws {
        let fixture = try CodecFixture.named("opj_lossless_tiled_12bit.j2k", in: "jpeg2000")
        let header = try JPEG2000ImageAndTileSize(codestream: fixture.data[...])
        XCTAssertEqual(header.tileWidth, 64)
        XCTAssertEqual(header.tileHeight, 64)
        XCTAssertEqual(header.tilesAcross * header.tilesDown, 6)
        XCTAssertThrowsError(try header.check(against: DecodeLimits(maximumSamples: 1 << 20, maximumTileComponents: 5))) { error in
            XCTAssertTrue("\(error)".contains("3 × 2 tiles × 1 components, above the limit of 5 tile-components"), "\(error)")
        }
    }

    func testTileComponentsOverTheLimitAreRefused() throws {
        // 64 × 64 tiles of 64 × 64 pixels: 4096 tile-components, at the default limit.
        XCTAssertNoThrow(try parse(siz(width: 4096, height: 4096)).check(against: .default))
        assertRefused(siz(width: 4097, height: 4096), saying: "65 × 64 tiles × 1 components, above the limit of 4096 tile-components")
        assertRefused(siz(width: 1024, height: 1024, components: 17), saying: "16 × 16 tiles × 17 components")
        // 1-pixel tiles on a 2³² − 1 square grid: 2⁶⁴ tiles overflow, and are refused, not trapped on.
        assertRefused(siz(width: .max, height: .max, tile: 1), saying: "above the limit", limits: DecodeLimits(maximumSamples: .max))
    }

    func testSamplesOverTheLimitAreRefusedBeforeTheTiles() {
        assertRefused(siz(width: 60000, height: 60000, tile: 60000, components: 1), saying: "60000 × 60000 × 1 samples, above the limit")
    }

    func testDamagedHeadersAreRefused() {
        assertRefused(siz(width: 0), saying: "empty image")
        assertRefused(siz(height: 0), saying: "empty image")
        assertRefused(siz(width: 100, height: 100, offset: 100), saying: "empty image")
        assertRefused(siz(tile: 0), saying: "do not cover")
        assertRefused(siz(offset: 10, tileOffset: 11), saying: "do not cover")
        assertRefused(siz(width: 300, offset: 100, tile: 64, tileOffset: 10), saying: "do not cover")  // 10 + 64 ≤ 100
        assertRefused(siz(lengthAdjustment: 3), saying: "SIZ's length is 44 bytes, not 38 + 3 × 1 components = 41")
        assertRefused(siz(lengthAdjustment: -1), saying: "SIZ's length is 40 bytes")
        assertRefused(siz(components: 0), saying: "SIZ declares 0 components")
        assertRefused(siz(ssiz: 38), saying: "39-bit samples")
        assertRefused(siz(separation: 0), saying: "subsampling of 0 × 0")
        let whole = siz(components: 2)
        for cut in [2, 4, 20, whole.count - 1] {
            assertRefused(Array(whole.prefix(cut)), saying: cut < 4 ? "does not begin with SOC and SIZ" : "cut short")
        }
    }

    func testJP2BoxesAreWalkedToTheCodestream() throws {
        let jp2 = try CodecFixture.named("opj_lossless_12bit.jp2", in: "jpeg2000").data
        let codestream = try JPEG2000Container.jp2.codestream(in: jp2)
        XCTAssertTrue(codestream.starts(with: [0xFF, 0x4F, 0xFF, 0x51]))
        XCTAssertEqual(codestream.suffix(2), [0xFF, 0xD9])  // EOC ends the jp2c box
        // A signature box alone has no codestream; a box longer than the file is damaged.
        let signature = Array(jp2.prefix(12))
        XCTAssertThrowsError(try JPEG2000Container.jp2.codestream(in: signature)) { error in
            XCTAssertTrue("\(error)".contains("no codestream box"), "\(error)")
        }
        XCTAssertThrowsError(try JPEG2000Container.jp2.codestream(in: signature + [0, 0, 1, 0] + Array("jp2c".utf8))) { error in
            XCTAssertTrue("\(error)".contains("a JP2 box declares 256 bytes where 8 remain"), "\(error)")
        }
        XCTAssertThrowsError(try JPEG2000Container.jp2.codestream(in: signature + [0, 0])) { error in
            XCTAssertTrue("\(error)".contains("ends inside a box header"), "\(error)")
        }
    }

    /// The fuzzer's slow unit: 135 bytes whose SIZ claims 57,345 tiles × 3 components kept
    /// OpenJPEG's header reader busy 2.3 s; now SIZ refuses it before OpenJPEG runs.
    func testFuzzerSlowUnitIsRefusedQuickly() throws {
        let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let file = repository.appendingPathComponent("fuzz/regressions/jpeg2000/slow-2.3s-siz-3670080x48-57345-tiles.j2k")
        let data = [UInt8](try Data(contentsOf: file))
        let start = Date()
        // The default limits allow its 528 M samples; only the tile limit stops it.
        XCTAssertThrowsError(try JPEG2000Decoder.decode(data, limits: .default)) { error in
            XCTAssertTrue("\(error)".contains("57345 × 1 tiles × 3 components, above the limit of 4096 tile-components"), "\(error)")
        }
        XCTAssertLessThan(Date().timeIntervalSince(start), 1, "the 2.3 s header read is back")
    }
}
