import XCTest
@testable import MammoData

/// `import folder` on CBIS-DDSM as the NBIA retriever saves it: files named `1-130.dcm`, the
/// woman only in the DICOM PatientID, which CBIS-DDSM gives per view (`Mass-Test_P_00173_LEFT_CC`).
final class FolderImporterPatientTests: XCTestCase {
    /// A 40×32 image whose breast (bright) sits on the left, as a left breast is stored.
    private func breast(_ seed: Int) -> GrayImage {
        var image = GrayImage(width: 40, height: 32, bitDepth: 16)
        for y in 0..<32 { for x in 0..<18 { image[x, y] = UInt16(20_000 + (x * 131 + y * 17 + seed * 7) % 9_000) } }
        return image
    }

    /// Two women, four views each, eight files `1-1xx.dcm` in one folder, nothing in the names.
    private func writeCBISStyle(into folder: String, withHeaderViews: Bool = false) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var number = 120
        for (prefix, patient) in [("Mass-Test", "P_00173"), ("Calc-Training", "P_00005")] {
            for side in ["LEFT", "RIGHT"] {
                for view in ["CC", "MLO"] {
                    number += 1
                    let id = "\(prefix)_\(patient)_\(side)_\(view)" + (prefix.hasPrefix("Calc") && view == "MLO" ? "_1" : "")
                    var image = breast(number)
                    if side == "RIGHT" { image = image.flippedHorizontally() }
                    let attributes = DICOMAttributes(patientID: id, viewPosition: withHeaderViews ? view : nil)
                    try DICOMWriter.write(image, to: folder + "/1-\(number).dcm", attributes: attributes)
                }
            }
        }
    }

    private func importFolder(_ images: String, into output: String, rule: FolderImporter.PatientRule = .automatic,
                              seed: UInt64 = 1) throws -> (entries: [DatasetEntry], log: String) {
        let log = LogCapture()
        let options = ImportOptions(seed: seed, valFraction: 0, testFraction: 0.5)
        try FolderImporter(images: images, masks: nil, options: options, patientRule: rule)
            .run(into: output, log: ImportLog(showProgress: false, write: log.append))
        return (try PreparedDataset(root: output).entries, log.text)
    }

    func testPerViewPatientIDsAreGroupedByWomanAndNameTheView() throws {
        let folder = TemporaryFolder()
        try writeCBISStyle(into: folder.join("cbis"))
        for seed: UInt64 in 1...6 {
            let (entries, _) = try importFolder(folder.join("cbis"), into: folder.join("ds\(seed)"), seed: seed)
            XCTAssertEqual(entries.count, 8)
            XCTAssertEqual(Set(entries.map(\.patientID)), ["P_00173", "P_00005"])
            for woman in ["P_00173", "P_00005"] {
                XCTAssertEqual(Set(entries.filter { $0.patientID == woman }.map(\.split)).count, 1, "\(woman) is in two splits (seed \(seed))")
            }
            XCTAssertNoThrow(try PatientSplit.checkDisjoint(entries, file: "ds"))
        }
        let (entries, _) = try importFolder(folder.join("cbis"), into: folder.join("ds"))
        let byID = Dictionary(uniqueKeysWithValues: entries.map { ($0.id, $0) })
        // 1-121 … 1-124: P_00173 LEFT CC, LEFT MLO, RIGHT CC, RIGHT MLO; 1-128: P_00005 RIGHT MLO _1.
        XCTAssertEqual(["1-121", "1-122", "1-123", "1-124", "1-128"].map { byID[$0]?.view ?? "?" }, ["CC", "MLO", "CC", "MLO", "MLO"])
        XCTAssertEqual(["1-121", "1-123", "1-128"].map { byID[$0]?.laterality ?? "?" }, ["L", "R", "R"])
    }

    func testPatientKeyReducesPerViewIDs() {
        XCTAssertEqual(PatientKey.reduce("Mass-Test_P_00173_LEFT_CC"), "P_00173")
        XCTAssertEqual(PatientKey.reduce("Calc-Training_P_00005_RIGHT_MLO_1"), "P_00005")
        XCTAssertEqual(PatientKey.reduce("woman42_L_CC"), "woman42")
        XCTAssertEqual(PatientKey.reduce("woman42-RIGHT-MLO"), "woman42")
        XCTAssertEqual(PatientKey.reduce("case7_R_ML"), "case7")
        XCTAssertEqual(PatientKey.reduce("1.2.840.99"), "1.2.840.99")
        XCTAssertEqual(PatientKey.reduce("CC"), "CC")
        XCTAssertEqual(Orientation.view(fromName: "x_R_ML_y"), "ML")
        XCTAssertEqual(Orientation.laterality(fromName: "x_R_ML_y"), .right)
        XCTAssertEqual(Orientation.laterality(fromName: "20586908_6c613a14b80a8591_MG_L_CC_ANON"), .left)
    }

    func testPatientTagAndPatternOptions() throws {
        let folder = TemporaryFolder()
        // Folders per woman, a study UID per woman in the header, PatientIDs useless (all the same).
        for (woman, study) in [("anna", "1.2.3.1"), ("bea", "1.2.3.2"), ("cora", "1.2.3.3")] {
            for (index, view) in ["L_CC", "R_MLO"].enumerated() {
                let path = folder.join("in", "site_\(woman)", "img\(index).dcm")
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                var attributes = DICOMAttributes(patientID: "ANON")
                attributes.viewCodeValue = view.hasSuffix("CC") ? "R-10242" : "399368009"
                try DICOMWriter.write(breast(index), to: path, attributes: attributes,
                                      transferSyntax: woman == "bea" ? .implicitVRLittleEndian : .explicitVRLittleEndian)
                _ = study
            }
        }
        let byPattern = try importFolder(folder.join("in"), into: folder.join("p"), rule: .pattern(#"site_([a-z]+)/"#))
        XCTAssertEqual(Set(byPattern.entries.map(\.patientID)), ["anna", "bea", "cora"])
        XCTAssertNoThrow(try PatientSplit.checkDisjoint(byPattern.entries, file: "p"))
        // The view from ViewCodeSequence (SNOMED-RT and SNOMED CT codes), explicit and implicit VR.
        XCTAssertEqual(Set(byPattern.entries.filter { $0.id == "img0" || $0.source.hasSuffix("img0.dcm") }.map(\.view)), ["CC"])
        XCTAssertEqual(Set(byPattern.entries.filter { $0.source.hasSuffix("img1.dcm") }.map(\.view)), ["MLO"])

        let byTag = try importFolder(folder.join("in"), into: folder.join("t"), rule: .tag("0010,0020"))
        XCTAssertEqual(Set(byTag.entries.map(\.patientID)), ["ANON"])

        // A tag that no file has: every image is skipped and said so; a bad pattern is an error.
        XCTAssertThrowsError(try importFolder(folder.join("in"), into: folder.join("x"), rule: .tag("AccessionNumber"))) { _ in }
        XCTAssertThrowsError(try importFolder(folder.join("in"), into: folder.join("y"), rule: .pattern("site_[a-z]+"))) { error in
            XCTAssertTrue("\(error)".contains("capture group"), "\(error)")
        }
        XCTAssertThrowsError(try importFolder(folder.join("in"), into: folder.join("z"), rule: .tag("NoSuchThing"))) { error in
            XCTAssertTrue("\(error)".contains("--patient-tag"), "\(error)")
        }
    }
}
