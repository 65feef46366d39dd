import XCTest
@testable import MammoData

/// Builds a miniature CBIS-DDSM download in the real layouts (CSV-era and NBIA retriever),
/// with the real 14-column CSVs, imports it and checks images, masks, labels and splits.
final class CBISDDSMImporterTests: XCTestCase {
    static let width = 40, height = 60

    /// A full image: bright (dense) on the left half, as a left breast is stored.
    private func fullImage(seed: UInt16) -> GrayImage {
        var image = GrayImage(width: Self.width, height: Self.height, bitDepth: 16)
        for y in 0..<Self.height { for x in 0..<Self.width { image[x, y] = x < Self.width / 2 ? 30000 + seed * 100 + UInt16(y) : 1000 } }
        return image
    }

    private func mask(width: Int = width, height: Int = height, rows: Range<Int>, columns: Range<Int>) -> GrayImage {
        var mask = GrayImage(width: width, height: height, bitDepth: 8)
        for y in rows { for x in columns { mask[x, y] = 255 } }
        return mask
    }

    private let crop = GrayImage(width: 10, height: 10, bitDepth: 16, pixels: (0..<100).map { UInt16($0 * 600) })

    private func dicom(_ image: GrayImage, _ folder: TemporaryFolder, _ relative: String, series: String? = nil,
                       imagerPixelSpacing: [Double]? = nil) throws {
        let path = folder.join("download", relative)
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try DICOMWriter.write(image, to: path, attributes: DICOMAttributes(seriesInstanceUID: series, imagerPixelSpacing: imagerPixelSpacing))
    }

    private struct Row { var patient, side, view, id, pathology, image, crop, mask: String }

    private func csvText(calc: Bool, _ rows: [Row]) -> String {
        var text = calc
            ? "patient_id,breast density,left or right breast,image view,abnormality id,abnormality type,calc type,calc distribution,assessment,pathology,subtlety,image file path,cropped image file path,ROI mask file path\n"
            : "patient_id,breast_density,left or right breast,image view,abnormality id,abnormality type,mass shape,mass margins,assessment,pathology,subtlety,image file path,cropped image file path,ROI mask file path\n"
        for row in rows {
            // Stray whitespace, quotes and line breaks in the path columns, as in the shipped files.
            text += "\(row.patient),3,\(row.side),\(row.view),\(row.id),\(calc ? "calcification" : "mass"),"
                + (calc ? "PLEOMORPHIC,CLUSTERED" : "OVAL,CIRCUMSCRIBED") + ",4,\(row.pathology),3,"
                + "\(row.image),\" \(row.crop)\n\",\"\(row.mask)\n\"\n"
        }
        return text
    }

    private func makeArchive(_ folder: TemporaryFolder) throws {
        var massTrain: [Row] = [], massTest: [Row] = [], calcTrain: [Row] = [], calcTest: [Row] = []

        // P_00001 (CSV-era layout): two abnormalities on one image; in the second ROI series the
        // crop comes first (000000.dcm) and the mask second — the file names are not to be trusted.
        try dicom(fullImage(seed: 1), folder, "Mass-Training_P_00001_LEFT_CC/1.1/1.1.1/000000.dcm")
        try dicom(mask(rows: 10..<20, columns: 5..<15), folder, "Mass-Training_P_00001_LEFT_CC_1/1.2/1.2.1/000000.dcm")
        try dicom(crop, folder, "Mass-Training_P_00001_LEFT_CC_1/1.2/1.2.1/000001.dcm")
        try dicom(crop, folder, "Mass-Training_P_00001_LEFT_CC_2/1.3/1.3.1/000000.dcm")
        try dicom(mask(rows: 40..<50, columns: 20..<30), folder, "Mass-Training_P_00001_LEFT_CC_2/1.3/1.3.1/000001.dcm")
        massTrain.append(Row(patient: "P_00001", side: "LEFT", view: "CC", id: "1", pathology: "BENIGN",
                             image: "Mass-Training_P_00001_LEFT_CC/1.1/1.1.1/000000.dcm",
                             crop: "Mass-Training_P_00001_LEFT_CC_1/1.2/1.2.1/000001.dcm",
                             mask: "Mass-Training_P_00001_LEFT_CC_1/1.2/1.2.1/000000.dcm"))
        massTrain.append(Row(patient: "P_00001", side: "LEFT", view: "CC", id: "2", pathology: "MALIGNANT",
                             image: "Mass-Training_P_00001_LEFT_CC/1.1/1.1.1/000000.dcm",
                             crop: "Mass-Training_P_00001_LEFT_CC_2/1.3/1.3.1/000001.dcm",
                             mask: "Mass-Training_P_00001_LEFT_CC_2/1.3/1.3.1/000000.dcm"))

        // P_00002 (NBIA retriever layout, right breast stored mirrored): series folders carry
        // descriptions, the SeriesInstanceUID is only in the header; 1-1.dcm is the crop.
        try dicom(fullImage(seed: 2).flippedHorizontally(), folder,
                  "CBIS-DDSM/Mass-Training_P_00002_RIGHT_MLO/07-20-2016-DDSM-94258/1.000000-full mammogram images-07312/1-1.dcm", series: "2.9.1")
        try dicom(crop, folder, "CBIS-DDSM/Mass-Training_P_00002_RIGHT_MLO_1/07-21-2016-DDSM-1/1.000000-ROI mask images-1/1-1.dcm", series: "2.9.2")
        try dicom(mask(rows: 0..<10, columns: 0..<10), folder, "CBIS-DDSM/Mass-Training_P_00002_RIGHT_MLO_1/07-21-2016-DDSM-1/1.000000-ROI mask images-1/1-2.dcm", series: "2.9.2")
        massTrain.append(Row(patient: "P_00002", side: "RIGHT", view: "MLO", id: "1", pathology: "BENIGN_WITHOUT_CALLBACK",
                             image: "Mass-Training_P_00002_RIGHT_MLO/2.8/2.9.1/000000.dcm",
                             crop: "Mass-Training_P_00002_RIGHT_MLO_1/2.8/2.9.2/000000.dcm",
                             mask: "Mass-Training_P_00002_RIGHT_MLO_1/2.8/2.9.2/000001.dcm"))

        // P_00003: the mask is half the image's size, same aspect → resized.
        try dicom(fullImage(seed: 3), folder, "Calc-Test_P_00003_LEFT_CC/3.1/3.1.1/000000.dcm")
        try dicom(mask(width: 20, height: 30, rows: 5..<10, columns: 5..<10), folder, "Calc-Test_P_00003_LEFT_CC_1/3.2/3.2.1/000000.dcm")
        calcTest.append(Row(patient: "P_00003", side: "LEFT", view: "CC", id: "1", pathology: "MALIGNANT",
                            image: "Calc-Test_P_00003_LEFT_CC/3.1/3.1.1/000000.dcm",
                            crop: "Calc-Test_P_00003_LEFT_CC_1/3.2/3.2.1/000001.dcm",
                            mask: "Calc-Test_P_00003_LEFT_CC_1/3.2/3.2.1/000000.dcm"))

        // P_00004: the mask's aspect differs → skipped and logged.
        try dicom(fullImage(seed: 4), folder, "Calc-Training_P_00004_RIGHT_CC/4.1/4.1.1/000000.dcm")
        try dicom(mask(width: 40, height: 50, rows: 5..<10, columns: 5..<10), folder, "Calc-Training_P_00004_RIGHT_CC_1/4.2/4.2.1/000000.dcm")
        calcTrain.append(Row(patient: "P_00004", side: "RIGHT", view: "CC", id: "1", pathology: "BENIGN",
                             image: "Calc-Training_P_00004_RIGHT_CC/4.1/4.1.1/000000.dcm",
                             crop: "Calc-Training_P_00004_RIGHT_CC_1/4.2/4.2.1/000001.dcm",
                             mask: "Calc-Training_P_00004_RIGHT_CC_1/4.2/4.2.1/000000.dcm"))

        // P_00005 (test) and P_00006…P_00009 (train, for carving validation).
        for (patient, split) in [(5, "Test"), (6, "Training"), (7, "Training"), (8, "Training"), (9, "Training")] {
            let name = "Mass-\(split)_P_0000\(patient)_LEFT_MLO"
            try dicom(fullImage(seed: UInt16(patient)), folder, "\(name)/\(patient).1/\(patient).1.1/000000.dcm")
            try dicom(mask(rows: 30..<35, columns: 2..<6), folder, "\(name)_1/\(patient).2/\(patient).2.1/000000.dcm")
            let row = Row(patient: "P_0000\(patient)", side: "LEFT", view: "MLO", id: "1", pathology: "BENIGN",
                          image: "\(name)/\(patient).1/\(patient).1.1/000000.dcm",
                          crop: "\(name)_1/\(patient).2/\(patient).2.1/000001.dcm",
                          mask: "\(name)_1/\(patient).2/\(patient).2.1/000000.dcm")
            if split == "Test" { massTest.append(row) } else { massTrain.append(row) }
        }
        try folder.write(csvText(calc: false, massTrain), to: "download/mass_case_description_train_set.csv")
        try folder.write(csvText(calc: false, massTest), to: "download/mass_case_description_test_set.csv")
        try folder.write(csvText(calc: true, calcTrain), to: "download/calc_case_description_train_set.csv")
        try folder.write(csvText(calc: true, calcTest), to: "download/calc_case_description_test_set.csv")

        try FileManager.default.createDirectory(atPath: folder.join("normals"), withIntermediateDirectories: true)
        try PNG.write(fullImage(seed: 10).flippedHorizontally(), to: folder.join("normals", "P_00010_RIGHT_CC.png"))
    }

    private func foreground(_ mask: GrayImage) -> Set<Int> {
        Set(mask.pixels.indices.filter { mask.pixels[$0] != 0 })
    }

    private func square(rows: Range<Int>, columns: Range<Int>, width: Int = width) -> Set<Int> {
        Set(rows.flatMap { y in columns.map { y * width + $0 } })
    }

    func testImportsMiniatureArchive() throws {
        let folder = TemporaryFolder()
        try makeArchive(folder)
        let output = LogCapture()
        var options = ImportOptions(seed: 4, valFraction: 0.34)
        options.testFraction = 0.0
        let importer = CBISDDSMImporter(root: folder.join("download"), normals: folder.join("normals"), options: options)
        try importer.run(into: folder.join("ds"), log: ImportLog(showProgress: false, write: output.append))

        let dataset = try PreparedDataset(root: folder.join("ds"))
        let byID = Dictionary(uniqueKeysWithValues: dataset.entries.map { ($0.id, $0) })
        XCTAssertEqual(dataset.entries.count, 9, "\(byID.keys.sorted())")
        XCTAssertNil(byID["Calc-Training_P_00004_RIGHT_CC"], "a mask of another aspect must be skipped")
        XCTAssertTrue(output.text.contains("mask aspect mismatch"), output.text)
        XCTAssertTrue(output.text.contains("resized from 20x30 to 40x60"), output.text)

        // Two abnormalities unioned; any malignant → malignant; swapped mask/crop files found by content.
        let first = try XCTUnwrap(byID["Mass-Training_P_00001_LEFT_CC"])
        XCTAssertEqual(first.label, .malignant)
        XCTAssertEqual([first.lesionType, first.laterality, first.view, first.patientID], ["mass", "L", "CC", "P_00001"])
        let (firstImage, firstMask) = try dataset.loadPair(first)
        XCTAssertEqual(firstImage, fullImage(seed: 1))
        XCTAssertEqual(foreground(firstMask), square(rows: 10..<20, columns: 5..<15).union(square(rows: 40..<50, columns: 20..<30)))

        // NBIA layout, matched by SeriesInstanceUID in the header; right breast mirrored to face left.
        let second = try XCTUnwrap(byID["Mass-Training_P_00002_RIGHT_MLO"])
        XCTAssertEqual(second.label, .benign)
        let (secondImage, secondMask) = try dataset.loadPair(second)
        XCTAssertEqual(secondImage, fullImage(seed: 2))
        XCTAssertEqual(foreground(secondMask), square(rows: 0..<10, columns: 30..<40))

        // Resized mask (nearest, ×2).
        let third = try XCTUnwrap(byID["Calc-Test_P_00003_LEFT_CC"])
        XCTAssertEqual([third.lesionType, third.split.rawValue], ["calcification", "test"])
        XCTAssertEqual(foreground(try dataset.loadMask(third)), square(rows: 10..<20, columns: 10..<20))

        // Official split kept; val carved from train by patient; no patient in two splits.
        XCTAssertEqual(byID["Mass-Test_P_00005_LEFT_MLO"]?.split, .test)
        let trainOrVal = ["P_00001", "P_00002", "P_00006", "P_00007", "P_00008", "P_00009"]
        let splits = dataset.entries.filter { trainOrVal.contains($0.patientID) }.map(\.split)
        XCTAssertEqual(splits.filter { $0 == .val }.count, 2)
        XCTAssertFalse(splits.contains(.test))
        XCTAssertNoThrow(try PatientSplit.checkDisjoint(dataset.entries, file: "ds"))

        // The normal image: empty mask, mirrored by its file name's laterality.
        let normal = try XCTUnwrap(byID["Normal_P_00010_RIGHT_CC"])
        XCTAssertEqual([normal.label.rawValue, normal.laterality, normal.view], ["normal", "R", "CC"])
        let (normalImage, normalMask) = try dataset.loadPair(normal)
        XCTAssertEqual(normalImage, fullImage(seed: 10))
        XCTAssertFalse(normalMask.hasForeground)

        let provenance = try JSONDecoder().decode(DatasetProvenance.self, from: Data(contentsOf: URL(fileURLWithPath: folder.join("ds", "dataset.json"))))
        XCTAssertEqual(provenance.skipped["mask aspect mismatch"], 1)
        XCTAssertEqual(provenance.importer, "cbis-ddsm")
    }

    func testScaleOptionResizesImagesAndMasks() throws {
        let folder = TemporaryFolder()
        try makeArchive(folder)
        let importer = CBISDDSMImporter(root: folder.join("download"), options: ImportOptions(scale: .longestSide(30)))
        try importer.run(into: folder.join("ds"), log: ImportLog(showProgress: false, write: { _ in }))
        let dataset = try PreparedDataset(root: folder.join("ds"))
        let entry = try XCTUnwrap(dataset.entries.first { $0.id == "Mass-Training_P_00001_LEFT_CC" })
        let (image, mask) = try dataset.loadPair(entry)
        XCTAssertEqual([image.width, image.height, mask.width, mask.height], [20, 30, 20, 30])
        XCTAssertEqual(foreground(mask), square(rows: 5..<10, columns: 2..<7, width: 20).union(square(rows: 20..<25, columns: 10..<15, width: 20)))
        // Area average of 2×2 blocks: the left half's rows y, y+1 average to base + y + 0.5.
        XCTAssertEqual(Int(image[0, 0]), 30100 + 1, accuracy: 1)
    }

    /// The full image's ImagerPixelSpacing sets the scale under a target spacing; images without
    /// one are prepared by longest side.
    func testTargetSpacingUsesTheFullImagesPixelSpacing() throws {
        let folder = TemporaryFolder()
        try makeArchive(folder)
        try dicom(fullImage(seed: 1), folder, "Mass-Training_P_00001_LEFT_CC/1.1/1.1.1/000000.dcm", imagerPixelSpacing: [0.1, 0.1])
        let policy = PreprocessingPolicy(targetLongestSide: 48, targetPixelSpacing: 0.2)
        try CBISDDSMImporter(root: folder.join("download"), options: ImportOptions(preprocessing: policy))
            .run(into: folder.join("ds"), log: ImportLog(showProgress: false, write: { _ in }))
        let entries = try PreparedDataset(root: folder.join("ds")).entries
        for entry in entries {
            let transform = try XCTUnwrap(entry.transform)
            if entry.id == "Mass-Training_P_00001_LEFT_CC" {
                XCTAssertEqual(transform.scale, 0.5, accuracy: 0.03)
            } else {
                XCTAssertEqual(max(transform.preparedWidth, transform.preparedHeight), 48, entry.id)
            }
        }
        XCTAssertTrue(entries.contains { $0.id == "Mass-Training_P_00001_LEFT_CC" })
    }

    func testPatientInOfficialTrainAndTestIsRefused() throws {
        let folder = TemporaryFolder()
        try makeArchive(folder)
        // Move P_00005's test row into the calc train CSV under the same patient as P_00001.
        let extra = csvText(calc: true, [Row(patient: "P_00001", side: "LEFT", view: "CC", id: "1", pathology: "BENIGN",
                                             image: "Calc-Test_P_00001_LEFT_CC/9.1/9.1.1/000000.dcm", crop: "x", mask: "y")])
        try folder.write(extra, to: "download/calc_case_description_extra.csv")
        let importer = CBISDDSMImporter(root: folder.join("download"))
        XCTAssertThrowsError(try importer.run(into: folder.join("ds"), log: ImportLog(showProgress: false, write: { _ in }))) { error in
            XCTAssertTrue("\(error)".contains("P_00001"), "\(error)")
        }
    }
}

/// Collects log text from any thread.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var lines = ""
    var text: String { lock.lock(); defer { lock.unlock() }; return lines }
    @Sendable func append(_ text: String) { lock.lock(); lines += text; lock.unlock() }
}
