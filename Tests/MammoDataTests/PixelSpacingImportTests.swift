import XCTest
@testable import MammoData

/// `--target-spacing` on every DICOM path: the folder, INbreast and VinDr importers (CBIS-DDSM's
/// in `CBISDDSMImporterTests`) and `SourceImage` (what `predict` reads) take PixelSpacing, else
/// ImagerPixelSpacing; a file with neither is prepared by longest side; a spacing no mammogram
/// has is refused naming the file.
final class PixelSpacingImportTests: XCTestCase {
    /// Target 0.2 mm; files at 0.1 mm (PixelSpacing), 0.05 mm (ImagerPixelSpacing), and none.
    static let policy = PreprocessingPolicy(targetLongestSide: 64, targetPixelSpacing: 0.2)
    static let spacings: [(name: String, attributes: DICOMAttributes, scale: Double?)] = [
        ("pixel", DICOMAttributes(pixelSpacing: [0.1, 0.1]), 0.5),
        ("imager", DICOMAttributes(imagerPixelSpacing: [0.05, 0.05]), 0.25),
        ("both", DICOMAttributes(pixelSpacing: [0.1, 0.1], imagerPixelSpacing: [0.05, 0.05]), 0.5),
        ("none", DICOMAttributes(), nil),
    ]

    private func scan(_ seed: UInt64) -> GrayImage {
        SyntheticFilmScan(width: 200, height: 320, chestWallLeft: true, seed: seed).image
    }

    /// Each entry's transform scales by source spacing / 0.2, or to a longest side of 64.
    /// `item` says which of `spacings` an entry came from.
    private func checkScales(_ entries: [DatasetEntry], item: (DatasetEntry) -> Int?,
                             file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(entries.count, Self.spacings.count, file: file, line: line)
        for entry in entries {
            let transform = try XCTUnwrap(entry.transform, file: file, line: line)
            let expected = Self.spacings[try XCTUnwrap(item(entry), entry.id, file: file, line: line)]
            if let scale = expected.scale {
                XCTAssertEqual(transform.scale, scale, accuracy: 0.01, "\(entry.id)", file: file, line: line)
            } else {
                XCTAssertEqual(max(transform.preparedWidth, transform.preparedHeight), 64, "\(entry.id)", file: file, line: line)
            }
        }
    }

    func testFolderImporterAndSourceImage() throws {
        let folder = TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.join("in"), withIntermediateDirectories: true)
        for (index, item) in Self.spacings.enumerated() {
            var attributes = item.attributes
            attributes.patientID = "woman\(index)"
            try DICOMWriter.write(scan(UInt64(index)), to: folder.join("in", "\(item.name).dcm"), attributes: attributes)
            XCTAssertEqual(try SourceImage.read(folder.join("in", "\(item.name).dcm")).pixelSpacing,
                           item.scale.map { $0 * 0.2 }, item.name)
        }
        try FolderImporter(images: folder.join("in"), masks: nil, options: ImportOptions(preprocessing: Self.policy))
            .run(into: folder.join("ds"), log: ImportLog(showProgress: false, write: { _ in }))
        try checkScales(try PreparedDataset(root: folder.join("ds")).entries) { entry in Self.spacings.firstIndex { entry.id.hasSuffix($0.name) } }
    }

    func testINbreastImporter() throws {
        let folder = TemporaryFolder()
        let root = folder.join("INbreast Release 1.0")
        try FileManager.default.createDirectory(atPath: root + "/AllDICOMs", withIntermediateDirectories: true)
        var csv = INbreastImporterTests.header + "\n"
        for (index, item) in Self.spacings.enumerated() {
            let id = "2058690\(index)"
            try DICOMWriter.write(scan(UInt64(index)), to: "\(root)/AllDICOMs/\(id)_6c613a14b80a859\(index)_MG_L_CC_ANON.dcm",
                                  attributes: item.attributes)
            csv += "removed;removed;L;CC;201001;\(id);2;1\n"
        }
        try folder.write(csv, to: "INbreast Release 1.0/INbreast.csv")
        try INbreastImporter(root: root, options: ImportOptions(preprocessing: Self.policy))
            .run(into: folder.join("ds"), log: ImportLog(showProgress: false, write: { _ in }))
        try checkScales(try PreparedDataset(root: folder.join("ds")).entries) { entry in entry.id.last?.wholeNumberValue }
    }

    func testVinDrImporter() throws {
        let folder = TemporaryFolder()
        var breasts = VinDrImporterTests.breastHeader + "\n", findings = VinDrImporterTests.findingHeader + "\n"
        for (index, item) in Self.spacings.enumerated() {
            let path = folder.join("vindr", "images", "s\(index)", "\(item.name).dicom")
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            var attributes = item.attributes
            attributes.laterality = "L"; attributes.viewPosition = "CC"
            try DICOMWriter.write(scan(UInt64(index)), to: path, attributes: attributes)
            let common = "s\(index),ser\(index),\(item.name),L,CC,320,200,BI-RADS 1,DENSITY B"
            breasts += common + ",\(index == 0 ? "test" : "training")\n"
            findings += common + ",['No Finding'],,,,,,\(index == 0 ? "test" : "training")\n"
        }
        try folder.write(breasts, to: "vindr/breast-level_annotations.csv")
        try folder.write(findings, to: "vindr/finding_annotations.csv")
        try VinDrImporter(root: folder.join("vindr"), options: ImportOptions(preprocessing: Self.policy))
            .run(into: folder.join("ds"), log: ImportLog(showProgress: false, write: { _ in }))
        try checkScales(try PreparedDataset(root: folder.join("ds")).entries) { entry in Self.spacings.firstIndex { entry.id.hasSuffix($0.name) } }
    }

    /// A header's spacing sizes an allocation only once checked: 1e6 mm per pixel (a 1e7-wide
    /// prepared image at 0.2 mm) and 0.0001 mm are refused naming the file; without a target
    /// spacing the same files prepare by longest side.
    func testImplausibleSpacingIsRefusedNamingTheFile() throws {
        let folder = TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.join("in"), withIntermediateDirectories: true)
        for (name, spacing) in [("huge", 1e6), ("tiny", 0.0001)] {
            let path = folder.join("in", "\(name).dcm")
            try DICOMWriter.write(scan(7), to: path, attributes: DICOMAttributes(pixelSpacing: [spacing, spacing]))
            let source = try SourceImage.read(path)
            XCTAssertThrowsError(try Preprocessing(policy: Self.policy).prepare(source.image, pixelSpacing: source.pixelSpacing, file: path)) { error in
                XCTAssertTrue("\(error)".hasPrefix(path + ": PixelSpacing"), "\(error)")
            }
            XCTAssertNoThrow(try Preprocessing(policy: PreprocessingPolicy(targetLongestSide: 64))
                .prepare(source.image, pixelSpacing: source.pixelSpacing, file: path))
        }
        // A plausible spacing with a target so fine the prepared image would pass 16384 per side.
        var fine = Self.policy
        fine.targetPixelSpacing = 0.011
        let big = GrayImage(width: 1000, height: 1600, bitDepth: 16, pixels: [UInt16](repeating: 30_000, count: 1_600_000))
        XCTAssertThrowsError(try Preprocessing(policy: fine).prepare(big, pixelSpacing: 4.0, file: "big.dcm")) { error in
            XCTAssertTrue("\(error)".contains("above 16384 per side"), "\(error)")
        }
        // The folder importer skips such a file with one line naming it, and imports the rest.
        try DICOMWriter.write(scan(8), to: folder.join("in", "fine.dcm"), attributes: DICOMAttributes(pixelSpacing: [0.1, 0.1]))
        let log = LogCapture()
        try FolderImporter(images: folder.join("in"), masks: nil, options: ImportOptions(preprocessing: Self.policy))
            .run(into: folder.join("ds"), log: ImportLog(showProgress: false, write: log.append))
        XCTAssertEqual(try PreparedDataset(root: folder.join("ds")).entries.map(\.id), ["fine"])
        let skipped = log.text.split(separator: "\n").filter { $0.hasPrefix("skipped") }
        XCTAssertEqual(skipped.count, 2, log.text)
        XCTAssertTrue(skipped.allSatisfy { $0.contains("huge.dcm") || $0.contains("tiny.dcm") }, log.text)
    }
}
