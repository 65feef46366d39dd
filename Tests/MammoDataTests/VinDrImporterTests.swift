import XCTest
@testable import MammoData

/// VinDr-Mammo in its real layout, written by the test: images/<study>/<image>.dicom and the two CSVs.
final class VinDrImporterTests: XCTestCase {
    static let breastHeader = "study_id,series_id,image_id,laterality,view_position,height,width,breast_birads,breast_density,split"
    static let findingHeader = "study_id,series_id,image_id,laterality,view_position,height,width,breast_birads,breast_density,finding_categories,finding_birads,xmin,ymin,xmax,ymax,split"

    struct Image {
        var study: String, image: String, side: String, view: String, birads: Int, split: String
        var findings: [(categories: String, box: String)]
        var csvSize = (width: 40, height: 32)
    }

    static let images: [Image] = [
        Image(study: "s1", image: "i11", side: "L", view: "CC", birads: 4, split: "training", findings: [("['Mass']", "10.5,8.0,20.0,18.0")]),
        Image(study: "s1", image: "i12", side: "L", view: "MLO", birads: 4, split: "training", findings: [("['Mass']", "12.0,10.0,22.0,20.0")]),
        Image(study: "s1", image: "i13", side: "R", view: "CC", birads: 1, split: "training", findings: [("['No Finding']", ",,,")]),
        Image(study: "s1", image: "i14", side: "R", view: "MLO", birads: 3, split: "training", findings: [("['Focal Asymmetry']", "4.0,4.0,8.0,8.0")]),
        Image(study: "s2", image: "i21", side: "L", view: "CC", birads: 5, split: "training",
              findings: [("\"['Mass', 'Suspicious Calcification']\"", "20.0,10.0,40.0,30.0")], csvSize: (80, 64)),
        Image(study: "s2", image: "i22", side: "L", view: "MLO", birads: 1, split: "training", findings: [("['No Finding']", ",,,")]),
        Image(study: "s3", image: "i31", side: "R", view: "CC", birads: 1, split: "training", findings: [("['No Finding']", ",,,")]),
        Image(study: "s3", image: "i32", side: "R", view: "MLO", birads: 4, split: "training", findings: [("['Mass']", ",,,")]),
        Image(study: "s4", image: "i41", side: "R", view: "CC", birads: 4, split: "test", findings: [("['Suspicious Calcification']", "2,2,6,6")]),
        Image(study: "s4", image: "i42", side: "R", view: "MLO", birads: 2, split: "test", findings: [("['No Finding']", ",,,")]),
    ]

    private func writeArchive(_ folder: TemporaryFolder) throws -> String {
        let root = folder.join("vindr-mammo")
        var breasts = Self.breastHeader + "\n", findings = Self.findingHeader + "\n"
        for item in Self.images {
            var image = GrayImage(width: 40, height: 32, bitDepth: 16)
            for y in 0..<32 { for x in 0..<16 { image[item.side == "R" ? 39 - x : x, y] = UInt16(25_000 + (x * 53 + y * 29) % 9_000) } }
            let path = "\(root)/images/\(item.study)/\(item.image).dicom"
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try DICOMWriter.write(image, to: path, attributes: DICOMAttributes(laterality: item.side, viewPosition: item.view))
            let common = "\(item.study),ser_\(item.study),\(item.image),\(item.side),\(item.view),\(item.csvSize.height),\(item.csvSize.width),BI-RADS \(item.birads),DENSITY C"
            breasts += common + ",\(item.split)\n"
            for finding in item.findings {
                findings += common + ",\(finding.categories),BI-RADS \(item.birads),\(finding.box),\(item.split)\n"
            }
        }
        try folder.write(breasts, to: "vindr-mammo/breast-level_annotations.csv")
        try folder.write(findings, to: "vindr-mammo/finding_annotations.csv")
        return root
    }

    private func run(_ root: String, into output: String, other: Bool = false, seed: UInt64 = 2) throws -> (entries: [DatasetEntry], log: String) {
        let log = LogCapture()
        try VinDrImporter(root: root, options: ImportOptions(seed: seed, valFraction: 0.34), includeOtherFindings: other)
            .run(into: output, log: ImportLog(showProgress: false, write: log.append))
        return (try PreparedDataset(root: output).entries, log.text)
    }

    func testBoxesBIRADSAndOfficialSplitByStudy() throws {
        let folder = TemporaryFolder()
        let root = try writeArchive(folder)
        let (entries, log) = try run(root, into: folder.join("ds"))
        let byID = Dictionary(uniqueKeysWithValues: entries.map { ($0.id, $0) })
        XCTAssertEqual(byID.keys.sorted(), ["VinDr_i11", "VinDr_i12", "VinDr_i13", "VinDr_i21", "VinDr_i22", "VinDr_i31", "VinDr_i41", "VinDr_i42"])
        XCTAssertTrue(log.contains("i14.dicom") && log.contains("--include-other-findings"), log)
        XCTAssertTrue(log.contains("i32.dicom") && log.contains("finding_annotations.csv line 9"), log)

        // The official test split kept; one of the three training studies carved off for validation.
        XCTAssertEqual(Set(entries.filter { $0.patientID == "s4" }.map(\.split)), [.test])
        XCTAssertEqual(Set(entries.filter { $0.patientID != "s4" }.map(\.split)), [.train, .val])
        XCTAssertNoThrow(try PatientSplit.checkDisjoint(entries, file: "ds"))
        for seed: UInt64 in 1...4 {
            let again = try run(root, into: folder.join("seed\(seed)"), seed: seed).entries
            XCTAssertNoThrow(try PatientSplit.checkDisjoint(again, file: "seed\(seed)"))
            XCTAssertEqual(again.filter { $0.split == .test }.count, 2)
        }
        XCTAssertEqual(try run(root, into: folder.join("repeat")).entries.map(\.split), entries.map(\.split))

        XCTAssertEqual(byID["VinDr_i11"]?.lesionType, "mass-box")
        XCTAssertEqual(byID["VinDr_i21"]?.lesionType, "calcification-box+mass-box")
        XCTAssertEqual(byID["VinDr_i41"]?.lesionType, "calcification-box")
        XCTAssertEqual([byID["VinDr_i11"]?.label, byID["VinDr_i13"]?.label, byID["VinDr_i42"]?.label], [.malignant, .normal, .benign])
        XCTAssertEqual(byID["VinDr_i41"].map { [$0.laterality, $0.view] }, ["R", "CC"])

        // Box (10.5, 8)-(20, 18) covers columns 10…19, rows 8…17; i21's box is in 80×64 coordinates, halved.
        let dataset = try PreparedDataset(root: folder.join("ds"))
        let mass = try dataset.loadPair(try XCTUnwrap(byID["VinDr_i11"])).mask
        XCTAssertEqual(mass.pixels.filter { $0 != 0 }.count, 100)
        XCTAssertEqual([mass[10, 8], mass[19, 17], mass[20, 17], mass[10, 18]], [255, 255, 0, 0])
        XCTAssertEqual(try dataset.loadPair(try XCTUnwrap(byID["VinDr_i21"])).mask.pixels.filter { $0 != 0 }.count, 100)
        let calcification = try dataset.loadPair(try XCTUnwrap(byID["VinDr_i41"])).mask
        XCTAssertEqual(calcification[39 - 2, 2], 255)  // right breast mirrored
        XCTAssertEqual(try dataset.loadPair(try XCTUnwrap(byID["VinDr_i13"])).mask.hasForeground, false)
        let json = try String(contentsOfFile: folder.join("ds", "dataset.json"), encoding: .utf8)
        XCTAssertTrue(json.contains("bounding boxes"), json)

        let other = try run(root, into: folder.join("other"), other: true).entries
        XCTAssertEqual(other.first { $0.id == "VinDr_i14" }?.lesionType, "focal-asymmetry-box")
    }

    func testMalformedRowsAreErrorsNamingFileAndLine() throws {
        let folder = TemporaryFolder()
        let root = try writeArchive(folder)
        let findings = root + "/finding_annotations.csv", breasts = root + "/breast-level_annotations.csv"
        let goodFindings = try String(contentsOfFile: findings, encoding: .utf8)
        let goodBreasts = try String(contentsOfFile: breasts, encoding: .utf8)

        try folder.write(goodFindings.replacingOccurrences(of: "12.0,10.0,22.0", with: "12.0,ten,22.0"), to: "vindr-mammo/finding_annotations.csv")
        XCTAssertThrowsError(try run(root, into: folder.join("a"))) { error in
            XCTAssertEqual("\(error)", findings + ": line 3, column 'ymin': 'ten' is not a number; fix or remove the row")
        }
        try folder.write(goodFindings, to: "vindr-mammo/finding_annotations.csv")
        try folder.write(goodBreasts.replacingOccurrences(of: "DENSITY C,test", with: "DENSITY C,validation"), to: "vindr-mammo/breast-level_annotations.csv")
        XCTAssertThrowsError(try run(root, into: folder.join("b"))) { error in
            XCTAssertTrue("\(error)".hasPrefix(breasts + ": line 10, column 'split': 'validation'"), "\(error)")
        }
        try folder.write(goodBreasts.replacingOccurrences(of: "i22,L,MLO,32,40,BI-RADS 1", with: "i22,L,MLO,32,40,BI-RADS ?"),
                         to: "vindr-mammo/breast-level_annotations.csv")
        XCTAssertThrowsError(try run(root, into: folder.join("c"))) { error in
            XCTAssertTrue("\(error)".hasPrefix(breasts + ": line 7, column 'breast_birads'"), "\(error)")
        }
    }
}
