import XCTest
@testable import MammoData

final class PreparedDatasetTests: XCTestCase {
    private func entry(_ id: String, _ split: Split, _ patient: String, label: ImageLabel = .normal) -> DatasetEntry {
        DatasetEntry(id: id, split: split, patientID: patient, source: "test", label: label)
    }

    func testWriterRoundTripsImagesMasksManifestAndProvenance() throws {
        let folder = TemporaryFolder()
        let root = folder.join("ds")
        let writer = try DatasetWriter(root: root)
        let image8 = GrayImage(width: 3, height: 2, bitDepth: 8, pixels: [0, 1, 2, 3, 254, 255])
        let mask = GrayImage(width: 3, height: 2, bitDepth: 8, pixels: [0, 1, 0, 0, 7, 0])
        try writer.add(entry("b", .test, "P2", label: .malignant), image: image8, mask: mask)
        try writer.add(entry("a", .train, "P1"), image: image8, mask: GrayImage(width: 3, height: 2, bitDepth: 8))
        try writer.finish(provenance: DatasetProvenance(importer: "test", sources: ["x"], seed: 9))

        let dataset = try PreparedDataset(root: root)
        XCTAssertEqual(dataset.entries.map(\.id), ["a", "b"])
        XCTAssertEqual(dataset.entries(split: .test).map(\.id), ["b"])
        let (image, loadedMask) = try dataset.loadPair(dataset.entries[1])
        XCTAssertEqual(image.bitDepth, 16)
        XCTAssertEqual(image.pixels, [0, 257, 514, 771, 65278, 65535])
        XCTAssertEqual(loadedMask.bitDepth, 8)
        XCTAssertEqual(loadedMask.pixels, [0, 255, 0, 0, 255, 0])
        XCTAssertEqual(try dataset.loadMask(dataset.entries[1]).pixels, loadedMask.pixels)

        let json = try JSONDecoder().decode(DatasetProvenance.self, from: Data(contentsOf: URL(fileURLWithPath: folder.join("ds", "dataset.json"))))
        XCTAssertEqual(json.counts["images"], 2)
        XCTAssertEqual(json.counts["malignant"], 1)
        XCTAssertEqual(json.seed, 9)
        XCTAssertThrowsError(try DatasetWriter(root: root), "an existing dataset must not be overwritten silently")
    }

    func testWriterRefusesPatientInTwoSplits() throws {
        let folder = TemporaryFolder()
        let writer = try DatasetWriter(root: folder.join("ds"))
        let image = GrayImage(width: 2, height: 2, bitDepth: 16)
        try writer.add(entry("a", .train, "P1"), image: image, mask: GrayImage(width: 2, height: 2, bitDepth: 8))
        try writer.add(entry("b", .val, "P1"), image: image, mask: GrayImage(width: 2, height: 2, bitDepth: 8))
        XCTAssertThrowsError(try writer.finish(provenance: DatasetProvenance(importer: "t", sources: [], seed: 0))) { error in
            XCTAssertTrue("\(error)".contains("patient 'P1'"), "\(error)")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.join("ds", "manifest.csv")))
    }

    func testManifestErrorsNameFileLineAndColumn() throws {
        let folder = TemporaryFolder()
        let header = DatasetEntry.columns.joined(separator: ",")
        try folder.write(header + "\na,images/a.png,masks/a.png,train,P1,s,normal,,L,CC\nb,images/b.png,masks/b.png,holdout,P2,s,normal,,,\n", to: "bad/manifest.csv")
        XCTAssertThrowsError(try PreparedDataset(root: folder.join("bad"))) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("manifest.csv") && text.contains("line 3") && text.contains("'split'") && text.contains("holdout"), text)
        }
        try folder.write("id,image,mask\n", to: "short/manifest.csv")
        XCTAssertThrowsError(try PreparedDataset(root: folder.join("short"))) { error in
            XCTAssertTrue("\(error)".contains("missing column 'split'"), "\(error)")
        }
        try folder.write(header + "\na,images/a.png,masks/a.png,train\n", to: "ragged/manifest.csv")
        XCTAssertThrowsError(try PreparedDataset(root: folder.join("ragged"))) { error in
            XCTAssertTrue("\(error)".contains("line 2"), "\(error)")
        }
        XCTAssertThrowsError(try PreparedDataset(root: folder.join("none"))) { error in
            XCTAssertTrue("\(error)".contains("none"), "\(error)")
        }
    }

    func testMaskOfWrongSizeIsReportedWithBothFiles() throws {
        let folder = TemporaryFolder()
        let root = folder.join("ds")
        let writer = try DatasetWriter(root: root)
        try writer.add(entry("a", .train, "P1"), image: GrayImage(width: 4, height: 4, bitDepth: 16), mask: GrayImage(width: 4, height: 4, bitDepth: 8))
        try writer.finish(provenance: DatasetProvenance(importer: "t", sources: [], seed: 0))
        try PNG.write(GrayImage(width: 3, height: 4, bitDepth: 8), to: folder.join("ds", "masks", "a.png"))
        let dataset = try PreparedDataset(root: root)
        XCTAssertThrowsError(try dataset.loadMask(dataset.entries[0])) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("masks/a.png") && text.contains("images/a.png") && text.contains("3x4"), text)
        }
    }

    func testCSVHandlesQuotesNewlinesAndCRLF() throws {
        let records = try CSV.parse("a,\"b,1\",\"say \"\"hi\"\"\"\r\n\n\"multi\nline\",x,\n", file: "t.csv")
        XCTAssertEqual(records.map(\.fields), [["a", "b,1", "say \"hi\""], ["multi\nline", "x", ""]])
        XCTAssertEqual(records.map(\.line), [1, 3])
        XCTAssertThrowsError(try CSV.parse("a,\"open\n", file: "t.csv"))
        XCTAssertEqual(try CSV.parse(CSV.line(["x,y", "q\"", "plain"]), file: "t").first?.fields, ["x,y", "q\"", "plain"])
    }

    func testPatientSplitIsDeterministicAndProportional() {
        let patients = (0..<100).map { "P\($0)" }
        let a = PatientSplit.assign(patients: patients, valFraction: 0.1, testFraction: 0.2, seed: 5)
        let b = PatientSplit.assign(patients: patients.reversed(), valFraction: 0.1, testFraction: 0.2, seed: 5)
        let c = PatientSplit.assign(patients: patients, valFraction: 0.1, testFraction: 0.2, seed: 6)
        XCTAssertEqual(a, b)
        XCTAssertNotEqual(a, c)
        XCTAssertEqual(a.values.filter { $0 == .val }.count, 10)
        XCTAssertEqual(a.values.filter { $0 == .test }.count, 20)
        let carved = PatientSplit.carveValidation(from: patients, fraction: 0.25, seed: 1)
        XCTAssertEqual(carved.count, 25)
        let few = PatientSplit.assign(patients: ["A", "B", "C"], valFraction: 0.1, testFraction: 0.2, seed: 1)
        XCTAssertEqual(few.values.sorted { $0.rawValue < $1.rawValue }, [.test, .train, .val])
    }
}
