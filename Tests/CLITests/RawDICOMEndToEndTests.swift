import Foundation
import MammoData
import XCTest

/// From a folder of raw DICOMs to heatmaps over them, as a user runs it: `import folder` on
/// CBIS-DDSM-style files (NBIA names `1-1NN.dcm`, the woman and the view only in a per-view
/// PatientID, right breasts stored mirrored, film border, label and marker) → a tiny `train` →
/// `predict RAW.dcm`. Every woman lands in one split with her views filled; the map has the
/// DICOM's rows × columns; and it equals the map of the imported (prepared) image mapped back
/// through the manifest's transform.
final class RawDICOMEndToEndTests: XCTestCase {
    var folder: TemporaryFolder!

    override func setUp() { folder = TemporaryFolder(name) }
    override func tearDown() { folder = nil }

    func mammoseg(_ arguments: [String]) throws -> MammosegProcess.Result {
        try MammosegProcess.run(arguments, folder: folder.path)
    }

    struct View { var file: String, woman: String, side: String, view: String, scan: SyntheticFilmScan }

    /// Three women × four views; every other view has a lesion mask (a disc inside the breast).
    func writeArchive() throws -> [View] {
        let raw = folder.join("raw"), masks = folder.join("masks")
        for path in [raw, masks] { try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true) }
        var views: [View] = []
        var number = 120
        for (prefix, woman) in [("Mass-Training", "P_00001"), ("Calc-Training", "P_00002"), ("Mass-Test", "P_00003")] {
            for side in ["LEFT", "RIGHT"] {
                for view in ["CC", "MLO"] {
                    number += 1
                    // A left breast is stored with its chest wall at the left edge, a right one mirrored.
                    let scan = SyntheticFilmScan(width: 240, height: 400, chestWallLeft: side == "LEFT", seed: UInt64(number))
                    let file = "1-\(number)"
                    try DICOMWriter.write(scan.image, to: "\(raw)/\(file).dcm",
                                          attributes: DICOMAttributes(patientID: "\(prefix)_\(woman)_\(side)_\(view)"))
                    var mask = GrayImage(width: 240, height: 400, bitDepth: 8)
                    if number % 2 == 1 {
                        let cx = side == "LEFT" ? 60 : 180
                        for y in 160..<220 { for x in (cx - 25)..<(cx + 25) where (x - cx) * (x - cx) + (y - 190) * (y - 190) < 600 { mask[x, y] = 255 } }
                    }
                    try PNG.write(mask, to: "\(masks)/\(file).png")
                    views.append(View(file: file, woman: woman, side: side, view: view, scan: scan))
                }
            }
        }
        return views
    }

    func testImportTrainPredictRawDICOMMapsBackOntoItsPreparedImage() throws {
        let views = try writeArchive()
        let data = folder.join("ds")
        let imported = try mammoseg(["import", "folder", "--images", folder.join("raw"), "--masks", folder.join("masks"),
                                     "--out", data, "--target-longest-side", "128", "--val-fraction", "0.3",
                                     "--test-fraction", "0.3", "--quiet"])
        XCTAssertEqual(imported.status, 0, imported.stderr)
        let dataset = try PreparedDataset(root: data)
        XCTAssertEqual(dataset.entries.count, 12)
        let byID = Dictionary(uniqueKeysWithValues: dataset.entries.map { ($0.id, $0) })

        // Women, not views, are split; laterality and view come from the per-view PatientID.
        XCTAssertEqual(Set(dataset.entries.map(\.patientID)), ["P_00001", "P_00002", "P_00003"])
        for woman in ["P_00001", "P_00002", "P_00003"] {
            XCTAssertEqual(Set(dataset.entries.filter { $0.patientID == woman }.map(\.split)).count, 1, "\(woman) is in two splits")
        }
        XCTAssertEqual(Set(dataset.entries.map(\.split)), [.train, .val, .test])
        for view in views {
            let entry = try XCTUnwrap(byID[view.file])
            XCTAssertEqual([entry.view, entry.laterality, entry.patientID], [view.view, String(view.side.prefix(1)), view.woman], view.file)
        }

        let run = folder.join("run")
        let trained = try mammoseg(tinyTrainArguments(data: data, out: run, epochs: 1))
        XCTAssertEqual(trained.status, 0, trained.stderr)
        let checkpoint = run + "/checkpoints/best.safetensors"

        // A right and a left view, each from the split it was imported into.
        for view in [views[2], views[4]] {
            let entry = try XCTUnwrap(byID[view.file])
            let maps = folder.join("raw-maps-\(view.file)"), preparedMaps = folder.join("prepared-maps-\(view.file)")
            let raw = try mammoseg(["predict", "--checkpoint", checkpoint, "--out", maps, folder.join("raw", view.file + ".dcm"),
                                    "--threads", "2"])
            XCTAssertEqual(raw.status, 0, raw.stderr)
            let prepared = try mammoseg(["predict", "--checkpoint", checkpoint, "--data", data, "--split", entry.split.rawValue,
                                         "--out", preparedMaps, "--threads", "2"])
            XCTAssertEqual(prepared.status, 0, prepared.stderr)

            let rawMap = try PNG.readGray("\(maps)/\(view.file)_probability.png")
            XCTAssertEqual([rawMap.width, rawMap.height], [240, 400], "the DICOM's columns × rows")
            let preparedMap = try PNG.readGray("\(preparedMaps)/\(entry.id)_probability.png")
            let transform = try XCTUnwrap(entry.transform)
            XCTAssertEqual([preparedMap.width, preparedMap.height], [transform.preparedWidth, transform.preparedHeight])
            XCTAssertEqual(transform.flipped, view.side == "RIGHT", "right breasts mirrored to face left")

            // The prepared map, 0 off the prepared breast as predict makes it, mapped back.
            let sourceBreast = BreastMask.detect(in: view.scan.image)
            let preparedBreast = transform.apply(to: sourceBreast)
            let p = preparedMap.pixels.enumerated().map { preparedBreast.bits[$0.offset] ? Float($0.element) / 65535 : 0 }
            let back = transform.mapBack(p, sourceBreastMask: sourceBreast)
            var difference: Float = 0, inside = 0, lit = 0
            for i in 0..<back.count where view.scan.breast.bits[i] {
                let r = Float(rawMap.pixels[i]) / 65535
                difference += abs(r - back[i]); inside += 1
                if r > 0 { lit += 1 }
            }
            XCTAssertLessThanOrEqual(difference / Float(inside), 0.01, "\(view.file): mean |Δ| inside the breast")
            XCTAssertGreaterThan(Double(lit) / Double(inside), 0.95, "\(view.file): the breast has a map")
            XCTAssertFalse(zip(rawMap.pixels, view.scan.label.bits).contains { $0.0 != 0 && $0.1 }, "\(view.file): 0 on the label")
            XCTAssertFalse(zip(rawMap.pixels, view.scan.border.bits).contains { $0.0 != 0 && $0.1 }, "\(view.file): 0 on the border")
        }
    }
}
