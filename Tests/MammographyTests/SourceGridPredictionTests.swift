import DNNLBackend
import Engine
import Foundation
import MammoData
import Mammography
import XCTest

/// `predict` on a raw film scan: the map is in the scan's own grid, equals the prepared image's
/// map mapped back, and is exactly 0 on the label, the marker and the border (which touches the breast).
final class SourceGridPredictionTests: XCTestCase {
    func testRawMapEqualsPreparedMapMappedBackAndIsZeroOffTheBreast() throws {
        let scan = SyntheticFilmScan(width: 520, height: 900, chestWallLeft: false, seed: 11)
        let model = try makeModel(.dilatedResize, width: 0.25, seed: 3)
        let predictor = Predictor(model: model, backend: try DNNLBackend(threads: 1), tileSize: 256)
        var policy = PreprocessingPolicy.standard
        policy.targetLongestSide = 256
        let preprocessing = Preprocessing(policy: policy)

        let (raw, prepared) = try predictor.sourceGridProbability(of: scan.image, preprocessing: preprocessing)
        XCTAssertEqual(raw.count, scan.image.width * scan.image.height, "the input's own rows × columns")

        // The prepared counterpart as a dataset holds it: the image through a 16-bit PNG, the
        // transform through JSON; its map masked to the breast and mapped back.
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sourcegrid-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        try PNG.write(prepared.image, to: folder + "/prepared.png")
        let stored = try PNG.readGray(folder + "/prepared.png")
        let transform = try JSONDecoder().decode(PreprocessingTransform.self, from: JSONEncoder().encode(prepared.transform))
        var p = try predictor.probability(image: stored.normalized(), width: stored.width, height: stored.height)
        for i in 0..<p.count where !prepared.breastMask.bits[i] { p[i] = 0 }
        let back = transform.mapBack(p, sourceBreastMask: BreastMask.detect(in: scan.image))

        var difference: Float = 0, inside = 0, positive = 0
        for i in 0..<raw.count where scan.breast.bits[i] {
            difference += abs(raw[i] - back[i]); inside += 1
            if raw[i] > 0 { positive += 1 }
        }
        XCTAssertLessThanOrEqual(difference / Float(inside), 0.01)
        XCTAssertGreaterThan(Double(positive) / Double(inside), 0.95, "the breast has a map")
        for i in 0..<raw.count where scan.label.bits[i] { XCTAssertEqual(raw[i], 0, "label pixel \(i)"); break }
        XCTAssertFalse(zip(raw, scan.label.bits).contains { $0.0 != 0 && $0.1 }, "exactly 0 on the label and marker")
        // The border touches the breast, and is exactly 0 too, up to where they meet.
        XCTAssertFalse(zip(raw, scan.border.bits).contains { $0.0 != 0 && $0.1 }, "exactly 0 on the border")
        // Background far from the breast is 0 too.
        XCTAssertEqual(raw[scan.image.width * (scan.image.height / 2) + 2], 0, "the far edge, away from the chest wall")
    }
}
