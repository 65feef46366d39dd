import Foundation
import MammoData
import XCTest

/// A digitised film as CBIS-DDSM has them: a bright border strip along the top edge touching the
/// breast, a text label and a lead marker. Through the executable, `predict` on the raw DICOM
/// writes a map that is exactly 0 on every label, marker and border pixel (also where the border
/// meets the breast), and `import folder` prepares an image with none of them in it.
final class FilmScanPredictTests: XCTestCase {
    var folder: TemporaryFolder!

    override func setUp() { folder = TemporaryFolder(name) }
    override func tearDown() { folder = nil }

    func mammoseg(_ arguments: [String]) throws -> MammosegProcess.Result {
        try MammosegProcess.run(arguments, folder: folder.path)
    }

    /// The PyTorch-initialised fixture of MammographyTests: a map with structure, non-zero in the breast.
    func checkpoint() throws -> String {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("MammographyTests/Fixtures/models/dilated-resize.safetensors").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("fixture \(path) missing; run scripts/fixtures/make_model_fixtures.py")
        }
        return path
    }

    func testMapIsExactlyZeroOnLabelAndBorderAndThePreparedImageHasNeither() throws {
        // A wide border over the breast's top, and a thin one (thinner than the mask's closing at
        // its working size) over a breast reaching the top edge.
        for (seed, chestWallLeft, borderFraction, breastTop) in [(UInt64(11), false, 0.03, 0.015), (12, true, 0.006, 0)] {
            let scan = SyntheticFilmScan(width: 540, height: 940, chestWallLeft: chestWallLeft, borderFraction: borderFraction,
                                         breastTop: breastTop, seed: seed)
            let raw = folder.join("raw\(seed)")
            try FileManager.default.createDirectory(atPath: raw, withIntermediateDirectories: true)
            try DICOMWriter.write(scan.image, to: raw + "/film.dcm", attributes: DICOMAttributes(patientID: "P_00173"))

            let maps = folder.join("maps\(seed)")
            let predicted = try mammoseg(["predict", "--checkpoint", try checkpoint(), "--out", maps, raw + "/film.dcm",
                                          "--target-longest-side", "256", "--threads", "2"])
            XCTAssertEqual(predicted.status, 0, predicted.stderr)
            let map = try PNG.readGray(maps + "/film_probability.png")
            XCTAssertEqual([map.width, map.height], [scan.image.width, scan.image.height], "the DICOM's own columns × rows")
            var onArtifacts = 0, breastLit = 0
            for i in 0..<map.pixels.count {
                if (scan.border.bits[i] || scan.label.bits[i]) && map.pixels[i] != 0 { onArtifacts += 1 }
                if scan.breast.bits[i] && map.pixels[i] != 0 { breastLit += 1 }
            }
            XCTAssertEqual(onArtifacts, 0, "seed \(seed): map pixels on the border, label or marker")
            XCTAssertGreaterThan(Double(breastLit) / Double(scan.breast.count), 0.95, "seed \(seed): the breast has a map")
            // Right at the junction: the first breast row under the border is mapped, the last border row is 0.
            let lastBorderRow = scan.border.boundingBox!.height - 1
            let junction = (0..<scan.image.width).filter { scan.breast[$0, lastBorderRow + 1] }
            XCTAssertFalse(junction.isEmpty)
            XCTAssertTrue(junction.allSatisfy { map[$0, lastBorderRow] == 0 }, "seed \(seed)")

            // The prepared image: what the breast alone gives. Zeroing every border and label
            // pixel of the source first changes nothing, so none of them reached an average.
            let data = folder.join("ds\(seed)")
            let imported = try mammoseg(["import", "folder", "--images", raw, "--out", data, "--target-longest-side", "256", "--quiet"])
            XCTAssertEqual(imported.status, 0, imported.stderr)
            let dataset = try PreparedDataset(root: data)
            let entry = try XCTUnwrap(dataset.entries.first)
            let transform = try XCTUnwrap(entry.transform)
            var cleaned = scan.image
            for i in 0..<cleaned.pixels.count where scan.border.bits[i] || scan.label.bits[i] { cleaned.pixels[i] = 0 }
            let expected = transform.apply(to: cleaned, breastMask: BreastMask.detect(in: scan.image)).image
            let prepared = try dataset.loadImage(entry)
            XCTAssertEqual(prepared, expected, "seed \(seed): a border or label pixel is in the prepared image")
            XCTAssertGreaterThan(prepared.pixels.filter { $0 != 0 }.count, prepared.pixels.count / 3, "seed \(seed): the breast is there")
        }
    }
}
