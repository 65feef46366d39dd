import XCTest
@testable import MammoData

final class MIASImporterTests: XCTestCase {
    /// A binary 8-bit PGM (P5) whose breast (value 200) fills the left or right half.
    private func writePGM(_ path: String, side: Int = 64, breastOnRight: Bool) throws {
        var bytes = Array("P5\n# mini-MIAS style\n\(side) \(side)\n255\n".utf8)
        for _ in 0..<side { for x in 0..<side { bytes.append((x >= side / 2) == breastOnRight ? 200 : 10) } }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
    }

    func testCirclesLandWhereBottomLeftCoordinatesSay() throws {
        let folder = TemporaryFolder()
        try folder.write("""
            mdb001 G CIRC B 20 10 5
            mdb001 G CIRC M 40 50 3
            mdb002 G NORM
            mdb003 F CALC B
            mdb004 D SPIC B 10 40 4

            """, to: "mias/Info.txt")
        for (number, right) in [(1, false), (2, false), (3, false), (4, true)] {
            try writePGM(folder.join("mias", "mdb00\(number).pgm"), breastOnRight: right)
        }
        let log = LogCapture()
        try MIASImporter(root: folder.join("mias")).run(into: folder.join("ds"), log: ImportLog(showProgress: false, write: log.append))
        let dataset = try PreparedDataset(root: folder.join("ds"))
        XCTAssertEqual(dataset.entries.map(\.id), ["mdb001", "mdb002", "mdb004"])
        XCTAssertTrue(log.text.contains("mdb003") && log.text.contains("lesion without coordinates"), log.text)

        let first = dataset.entries[0]
        XCTAssertEqual([first.label.rawValue, first.lesionType, first.patientID, first.laterality], ["malignant", "mass", "mias_001", "R"])
        let (image, mask) = try dataset.loadPair(first)
        XCTAssertEqual([image.bitDepth, mask.bitDepth], [16, 8])
        XCTAssertEqual(image[0, 0], 200 * 257)
        // (x 20, y 10 from the bottom) → column 20, row 63 − 10 = 53; the second disc at row 13.
        XCTAssertEqual(mask[20, 53], 255)
        XCTAssertEqual(mask[20, 10], 0)
        XCTAssertEqual(mask[40, 13], 255)
        XCTAssertEqual(mask[25, 53], 255)
        XCTAssertEqual(mask[26, 53], 0)
        func inDisc(_ x: Int, _ y: Int, _ cx: Int, _ cy: Int, _ r: Int) -> Bool {
            (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r
        }
        var discPixels = 0
        for y in 0..<64 { for x in 0..<64 where inDisc(x, y, 20, 53, 5) || inDisc(x, y, 40, 13, 3) { discPixels += 1 } }
        XCTAssertEqual(mask.pixels.filter { $0 != 0 }.count, discPixels)

        XCTAssertEqual(dataset.entries[1].label, .normal)
        XCTAssertEqual(dataset.entries[1].split, first.split, "mdb001 and mdb002 are one woman")
        XCTAssertFalse(try dataset.loadMask(dataset.entries[1]).hasForeground)

        // mdb004's breast was on the right: mirrored, so the disc at x = 10 lands at column 53.
        let fourth = try dataset.loadMask(dataset.entries[2])
        XCTAssertEqual(fourth[53, 23], 255)
        XCTAssertEqual(fourth[10, 23], 0)
    }

    func testMalformedInfoRowNamesTheLine() throws {
        let folder = TemporaryFolder()
        try folder.write("mdb001 G CIRC B 1 2 3\nmdb002 G WHAT\n", to: "mias/Info.txt")
        XCTAssertThrowsError(try MIASImporter(root: folder.join("mias")).run(into: folder.join("ds"), log: ImportLog(showProgress: false, write: { _ in }))) { error in
            XCTAssertTrue("\(error)".contains("Info.txt") && "\(error)".contains("line 2"), "\(error)")
        }
    }
}

final class FolderImporterTests: XCTestCase {
    /// synth --format dicom → import folder gives back the synthetic images and masks exactly
    /// (DICOM in every transfer syntax, MONOCHROME1, right breasts stored mirrored).
    func testSyntheticDICOMRoundTripsThroughFolderImport() throws {
        let folder = TemporaryFolder()
        var options = SyntheticDataset.Options()
        options.count = 8; options.size = 48; options.seed = 5; options.writeDICOM = true
        let synthetic = try SyntheticDataset.write(to: folder.join("synth"), options: options).entries
        XCTAssertTrue(synthetic.contains { $0.laterality == "R" } && synthetic.contains { $0.laterality == "L" })

        // An extra normal image without a mask, and one whose mask has another aspect.
        try PNG.write(GrayImage(width: 30, height: 20, bitDepth: 8), to: folder.join("synth", "dicom", "images", "extra.png"))
        try PNG.write(GrayImage(width: 30, height: 20, bitDepth: 16), to: folder.join("synth", "dicom", "images", "odd.png"))
        try PNG.write(GrayImage(width: 30, height: 30, bitDepth: 8), to: folder.join("synth", "dicom", "masks", "odd_mask.png"))

        let log = LogCapture()
        let importer = FolderImporter(images: folder.join("synth", "dicom", "images"), masks: folder.join("synth", "dicom", "masks"))
        try importer.run(into: folder.join("ds"), log: ImportLog(showProgress: false, write: log.append))
        XCTAssertTrue(log.text.contains("odd.png") && log.text.contains("mask aspect mismatch"), log.text)

        let original = try PreparedDataset(root: folder.join("synth"))
        let imported = try PreparedDataset(root: folder.join("ds"))
        let byID = Dictionary(uniqueKeysWithValues: imported.entries.map { ($0.id, $0) })
        for entry in original.entries {
            let copy = try XCTUnwrap(byID[entry.id])
            XCTAssertEqual(copy.patientID, entry.patientID)
            XCTAssertEqual([copy.laterality, copy.view], [entry.laterality, entry.view])
            XCTAssertEqual(copy.label == .normal, entry.label == .normal)
            let (a, am) = try original.loadPair(entry)
            let (b, bm) = try imported.loadPair(copy)
            XCTAssertEqual(a, b, "image \(entry.id)")
            XCTAssertEqual(am, bm, "mask \(entry.id)")
        }
        XCTAssertEqual(byID["extra"]?.label, .normal)
        XCTAssertEqual(try imported.loadPair(byID["extra"]!).image.bitDepth, 16)
        XCTAssertNil(byID["odd"])
        XCTAssertNoThrow(try PatientSplit.checkDisjoint(imported.entries, file: "ds"))
    }
}
