import XCTest
@testable import MammoData

final class PreprocessingTransformTests: XCTestCase {
    func testPrepareCropsFlipsAndScalesToTheTarget() throws {
        let scan = SyntheticFilmScan(width: 700, height: 1200, chestWallLeft: false, seed: 5)
        let prepared = try Preprocessing().prepare(scan.image, laterality: nil)
        let t = prepared.transform
        XCTAssertTrue(t.flipped, "a breast against the right edge is mirrored to face left")
        XCTAssertEqual(max(t.preparedWidth, t.preparedHeight), 640)
        XCTAssertLessThan(t.crop.width, 700, "cropped to the breast box")
        XCTAssertEqual(prepared.image.width, t.preparedWidth)
        XCTAssertEqual(prepared.breastMask.width, t.preparedWidth)
        // Chest wall at the left: the left column is mostly breast, the right one is not.
        var left = 0, right = 0
        for y in 0..<t.preparedHeight {
            if prepared.breastMask[0, y] { left += 1 }
            if prepared.breastMask[t.preparedWidth - 1, y] { right += 1 }
        }
        XCTAssertGreaterThan(left, right)
        // Outside the breast the prepared image is 0: no label, no border reaches the network.
        for i in 0..<prepared.image.pixels.count where !prepared.breastMask.bits[i] {
            XCTAssertEqual(prepared.image.pixels[i], 0); break
        }
        XCTAssertFalse(zip(prepared.image.pixels, prepared.breastMask.bits).contains { $0.0 != 0 && !$0.1 })
    }

    func testLateralityDecidesTheFlip() throws {
        let scan = SyntheticFilmScan(width: 300, height: 500, chestWallLeft: true, seed: 6)
        XCTAssertFalse(try Preprocessing().prepare(scan.image, laterality: .left).transform.flipped)
        XCTAssertTrue(try Preprocessing().prepare(scan.image, laterality: .right).transform.flipped)
        var policy = PreprocessingPolicy.standard
        policy.chestWall = .right
        XCTAssertTrue(try Preprocessing(policy: policy).prepare(scan.image, laterality: .left).transform.flipped)
    }

    func testPixelSpacingSetsTheScale() throws {
        let scan = SyntheticFilmScan(width: 400, height: 600, seed: 7)
        var policy = PreprocessingPolicy.standard
        policy.targetPixelSpacing = 0.2
        let t = try Preprocessing(policy: policy).prepare(scan.image, pixelSpacing: 0.05).transform
        XCTAssertEqual(t.scale, 0.25, accuracy: 0.01)
        let byLongest = try Preprocessing(policy: policy).prepare(scan.image, pixelSpacing: nil).transform
        XCTAssertEqual(max(byLongest.preparedWidth, byLongest.preparedHeight), 640)
    }

    /// A map that is a smooth function of source position survives apply → mapBack.
    func testMapBackInvertsApply() {
        for flipped in [false, true] {
            let t = PreprocessingTransform(sourceWidth: 500, sourceHeight: 800, flipped: flipped,
                                           crop: PixelBox(x: 40, y: 60, width: 400, height: 640),
                                           preparedWidth: 200, preparedHeight: 320)
            func field(_ x: Double, _ y: Double) -> Float { Float(0.3 + 0.5 * sin(x / 90) * cos(y / 120)) }
            // The prepared map samples the field at each prepared pixel's centre in source coordinates.
            var prepared = [Float](repeating: 0, count: 200 * 320)
            for y in 0..<320 { for x in 0..<200 {
                let cx = Double(t.crop.x) + (Double(x) + 0.5) * 2 - 0.5
                let sx = flipped ? Double(t.sourceWidth - 1) - cx : cx
                prepared[y * 200 + x] = field(sx, Double(t.crop.y) + (Double(y) + 0.5) * 2 - 0.5)
            } }
            let back = t.mapBack(prepared)
            var error: Float = 0, n = 0
            for y in 0..<800 { for x in 0..<500 {
                let mirroredX = flipped ? 499 - x : x
                let inside = mirroredX >= 40 && mirroredX < 440 && y >= 60 && y < 700
                if inside { error += abs(back[y * 500 + x] - field(Double(x), Double(y))); n += 1 }
                else { XCTAssertEqual(back[y * 500 + x], 0, "outside the crop is 0") }
            } }
            XCTAssertLessThan(error / Float(n), 0.002, "flipped \(flipped)")
        }
    }

    func testApplyThenMapBackOfTheBreastMaskMatchesTheSource() throws {
        let scan = SyntheticFilmScan(width: 600, height: 1000, chestWallLeft: false, seed: 8)
        let prepared = try Preprocessing().prepare(scan.image)
        let back = prepared.mapBack(prepared.breastMask.bits.map { $0 ? 1 : 0 })
        var agree = 0
        for i in 0..<back.count where (back[i] >= 0.5) == prepared.sourceBreastMask.bits[i] { agree += 1 }
        XCTAssertGreaterThan(Double(agree) / Double(back.count), 0.995)
        XCTAssertFalse(zip(back, prepared.sourceBreastMask.bits).contains { $0.0 != 0 && !$0.1 }, "0 outside the breast")
    }

    func testPolicyRoundTripsThroughJSONAndFillsMissingKeys() throws {
        let policy = PreprocessingPolicy(targetLongestSide: 512, targetPixelSpacing: 0.1, cropToBreast: false, cropMargin: 0.05,
                                         intensity: .breastPercentiles(low: 1, high: 99), chestWall: .right)
        XCTAssertEqual(try PreprocessingPolicy(jsonString: policy.jsonString, file: "x"), policy)
        XCTAssertEqual(try PreprocessingPolicy(jsonString: "{}", file: "x"), .standard)
        XCTAssertThrowsError(try PreprocessingPolicy(jsonString: #"{"intensity":"sideways"}"#, file: "ck.safetensors"))
        XCTAssertThrowsError(try PreprocessingPolicy(jsonString: #"{"targetLongestSide":0}"#, file: "ck.safetensors"))
        XCTAssertEqual(try PreprocessingPolicy.fromCheckpointMetadata([:], file: "x"), .standard)
    }

    func testBreastPercentilesStretchesTheBreast() throws {
        let scan = SyntheticFilmScan(width: 300, height: 500, seed: 9)
        var policy = PreprocessingPolicy.standard
        policy.intensity = .breastPercentiles(low: 1, high: 99)
        let prepared = try Preprocessing(policy: policy).prepare(scan.image)
        let inside = zip(prepared.image.pixels, prepared.breastMask.bits).filter { $0.1 }.map { Int($0.0) }
        XCTAssertEqual(inside.max(), 65535)
        XCTAssertEqual(inside.min(), 0)
    }
}
