import XCTest
@testable import MammoData

/// INbreast in its real layout, written by the test: AllDICOMs/, AllXML/ (OsiriX plists), INbreast.csv.
final class INbreastImporterTests: XCTestCase {
    static let header = "Patient ID;Patient age;Laterality;View;Acquisition date;File Name;ACR;Bi-Rads"

    /// A 48×40 breast on the side its laterality is stored on (right breasts mirrored).
    private func writeImage(_ root: String, id: String, hash: String, side: String, view: String) throws {
        var image = GrayImage(width: 48, height: 40, bitDepth: 16)
        for y in 0..<40 { for x in 0..<20 { image[side == "R" ? 47 - x : x, y] = UInt16(30_000 + (x * 37 + y * 11) % 7_000) } }
        let path = "\(root)/AllDICOMs/\(id)_\(hash)_MG_\(side)_\(view)_ANON.dcm"
        try DICOMWriter.write(image, to: path, attributes: DICOMAttributes(patientID: hash, laterality: side))
    }

    /// An OsiriX ROI export as INbreast ships it (with the fields the importer ignores).
    static func xml(_ rois: [(name: String, points: [String])]) -> String {
        let roiText = rois.map { roi in
            """
                            <dict>
                                <key>Area</key>
                                <real>0.0</real>
                                <key>Center</key>
                                <string>(0.000000, 0.000000, 0.000000)</string>
                                <key>IndexInImage</key>
                                <integer>0</integer>
                                <key>Name</key>
                                <string>\(roi.name)</string>
                                <key>NumberOfPoints</key>
                                <integer>\(roi.points.count)</integer>
                                <key>Point_mm</key>
                                <array>
                                    <string>(1.0, 2.0, 0.0)</string>
                                </array>
                                <key>Point_px</key>
                                <array>
            \(roi.points.map { "                        <string>\($0)</string>" }.joined(separator: "\n"))
                                </array>
                                <key>Type</key>
                                <integer>15</integer>
                            </dict>
            """
        }.joined(separator: "\n")
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
            <plist version="1.0">
            <dict>
                <key>Images</key>
                <array>
                    <dict>
                        <key>ImageHeight</key>
                        <integer>40</integer>
                        <key>ImageIndex</key>
                        <integer>0</integer>
                        <key>NumberOfROIs</key>
                        <integer>\(rois.count)</integer>
                        <key>ROIs</key>
                        <array>
            \(roiText)
                        </array>
                    </dict>
                </array>
            </dict>
            </plist>

            """
    }

    static let square = ["(10.0, 8.0)", "(20.0, 8.0)", "(20, 18)", "(10.000000, 18.000000)"]

    /// Three women (by file-name hash), seven images; the CSV's Patient ID says `removed`.
    private func writeArchive(_ folder: TemporaryFolder) throws -> String {
        let root = folder.join("INbreast Release 1.0")
        try FileManager.default.createDirectory(atPath: root + "/AllDICOMs", withIntermediateDirectories: true)
        let images: [(id: String, hash: String, side: String, view: String, birads: String)] = [
            ("20586908", "6c613a14b80a8591", "R", "CC", "4a"),  // mass contour
            ("20586934", "6c613a14b80a8591", "R", "ML", "2"),   // a calcification point and a cluster
            ("20586960", "6c613a14b80a8591", "L", "CC", "1"),   // normal, no XML
            ("22614074", "9f8e7d6c5b4a3921", "L", "CC", "5"),   // mass + an asymmetry ROI
            ("22614097", "9f8e7d6c5b4a3921", "L", "ML", "3"),   // findings but no XML: skipped
            ("24055274", "0a1b2c3d4e5f6071", "R", "CC", "1"),
            ("24055300", "0a1b2c3d4e5f6071", "R", "ML", "2"),   // XML without contours: skipped
        ]
        var csv = Self.header + "\n"
        for image in images {
            try writeImage(root, id: image.id, hash: image.hash, side: image.side, view: image.view)
            csv += "removed;removed;\(image.side);\(image.view == "ML" ? "MLO" : "CC");201001;\(image.id);2;\(image.birads)\n"
        }
        try folder.write(csv, to: "INbreast Release 1.0/INbreast.csv")
        try folder.write(Self.xml([("Mass", Self.square)]), to: "INbreast Release 1.0/AllXML/20586908.xml")
        try folder.write(Self.xml([("Calcification", ["(30.5, 20.5)"]),
                                  ("Cluster", ["(2, 2)", "(8, 2)", "(8, 6)", "(2, 6)"])]), to: "INbreast Release 1.0/AllXML/20586934.xml")
        try folder.write(Self.xml([("Mass", Self.square), ("Asymmetry", ["(30, 30)", "(40, 30)", "(40, 38)"])]),
                         to: "INbreast Release 1.0/AllXML/22614074.xml")
        try folder.write(Self.xml([]), to: "INbreast Release 1.0/AllXML/24055300.xml")
        return root
    }

    private func run(_ root: String, into output: String, other: Bool = false) throws -> (entries: [DatasetEntry], log: String) {
        let log = LogCapture()
        try INbreastImporter(root: root, options: ImportOptions(seed: 3, valFraction: 0.34, testFraction: 0.34),
                             includeOtherFindings: other).run(into: output, log: ImportLog(showProgress: false, write: log.append))
        return (try PreparedDataset(root: output).entries, log.text)
    }

    func testContoursBIRADSAndWomenFromARealLayout() throws {
        let folder = TemporaryFolder()
        let root = try writeArchive(folder)
        let (entries, log) = try run(root, into: folder.join("ds"))
        let byID = Dictionary(uniqueKeysWithValues: entries.map { ($0.id, $0) })
        XCTAssertEqual(byID.keys.sorted(), ["INbreast_20586908", "INbreast_20586934", "INbreast_20586960",
                                            "INbreast_22614074", "INbreast_24055274"])
        XCTAssertTrue(log.contains("22614097") && log.contains("findings without contours"), log)
        XCTAssertTrue(log.contains("24055300.xml has no mass or calcification contour"), log)
        XCTAssertTrue(log.contains("Asymmetry"), log)

        // Women by the file names' hash: each in one split, and all three splits used.
        XCTAssertEqual(Set(entries.map(\.patientID)), ["6c613a14b80a8591", "9f8e7d6c5b4a3921", "0a1b2c3d4e5f6071"])
        XCTAssertNoThrow(try PatientSplit.checkDisjoint(entries, file: "ds"))
        XCTAssertEqual(Set(entries.map(\.split)), [.train, .val, .test])

        // BI-RADS proxy labels, lesion types, laterality and view from the names.
        XCTAssertEqual(byID["INbreast_20586908"]?.label, .malignant)
        XCTAssertEqual(byID["INbreast_20586934"]?.label, .benign)
        XCTAssertEqual(byID["INbreast_20586960"]?.label, .normal)
        XCTAssertEqual(byID["INbreast_20586908"]?.lesionType, "mass")
        XCTAssertEqual(byID["INbreast_20586934"]?.lesionType, "calcification")
        XCTAssertEqual(byID["INbreast_22614074"]?.lesionType, "mass")
        XCTAssertEqual(byID["INbreast_20586934"].map { [$0.laterality, $0.view] }, ["R", "ML"])

        // The square contour (10,8)-(20,18) covers pixel centres 10…19 × 8…17; the right breast is mirrored.
        let dataset = try PreparedDataset(root: folder.join("ds"))
        let right = try dataset.loadPair(try XCTUnwrap(byID["INbreast_20586908"])).mask
        let left = try dataset.loadPair(try XCTUnwrap(byID["INbreast_22614074"])).mask
        XCTAssertEqual(left.pixels.filter { $0 != 0 }.count, 100)
        XCTAssertEqual(left[10, 8], 255); XCTAssertEqual(left[19, 17], 255); XCTAssertEqual(left[20, 8], 0)
        XCTAssertEqual(right.pixels.filter { $0 != 0 }.count, 100)
        XCTAssertEqual(right[47 - 10, 8], 255); XCTAssertEqual(right[10, 8], 0)
        // A single calcification is a small disc (radius 3 → 29 pixel centres), the cluster a 6×4 polygon.
        let calcification = try dataset.loadPair(try XCTUnwrap(byID["INbreast_20586934"])).mask
        XCTAssertEqual(calcification.pixels.filter { $0 != 0 }.count, 29 + 24)
        XCTAssertEqual(calcification[47 - 30, 20], 255)

        // --include-other-findings draws the asymmetry as its own type.
        let other = try run(root, into: folder.join("other"), other: true).entries
        XCTAssertEqual(other.first { $0.id == "INbreast_22614074" }?.lesionType, "asymmetry+mass")
    }

    func testMalformedXMLAndCSVRowsAreErrorsNamingFileAndLine() throws {
        let folder = TemporaryFolder()
        let root = try writeArchive(folder)
        let xml = root + "/AllXML/20586908.xml"

        func line(of text: String, in document: String) -> Int {
            (document.components(separatedBy: "\n").firstIndex { $0.contains(text) } ?? -1) + 1
        }
        let broken = Self.xml([("Mass", Self.square)]).replacingOccurrences(of: "<key>Name</key>", with: "<key>Name</kez>")
        try folder.write(broken, to: "INbreast Release 1.0/AllXML/20586908.xml")
        XCTAssertThrowsError(try run(root, into: folder.join("a"))) { error in
            XCTAssertTrue("\(error)".hasPrefix(xml + ": line \(line(of: "</kez>", in: broken)): malformed XML"), "\(error)")
        }
        let badPoint = Self.xml([("Mass", ["(10.0, 8.0)", "(20.0; 8.0)", "(20, 18)"])])
        try folder.write(badPoint, to: "INbreast Release 1.0/AllXML/20586908.xml")
        XCTAssertThrowsError(try run(root, into: folder.join("b"))) { error in
            XCTAssertTrue("\(error)".hasPrefix(xml + ": line \(line(of: "(20.0; 8.0)", in: badPoint)): ") && "\(error)".contains("Point_px"), "\(error)")
        }
        try folder.write(Self.xml([("Mass", Self.square)]), to: "INbreast Release 1.0/AllXML/20586908.xml")

        let csv = root + "/INbreast.csv"
        let good = try String(contentsOfFile: csv, encoding: .utf8)
        try folder.write(good.replacingOccurrences(of: ";20586934;2;2", with: ";20586934;2;x"), to: "INbreast Release 1.0/INbreast.csv")
        XCTAssertThrowsError(try run(root, into: folder.join("c"))) { error in
            XCTAssertEqual("\(error)", csv + ": line 3, column 'Bi-Rads': 'x' is not a BI-RADS category (0-6, e.g. 4a); fix or remove the row")
        }
        try folder.write(good.replacingOccurrences(of: "File Name", with: "Filename"), to: "INbreast Release 1.0/INbreast.csv")
        XCTAssertThrowsError(try run(root, into: folder.join("d"))) { error in
            XCTAssertTrue("\(error)".hasPrefix(csv + ": line 1: no 'File Name' column"), "\(error)")
        }
    }

    func testBIRADSParsing() {
        XCTAssertEqual(["1", "2", "3", "4a", "4C", "5", "6", "BI-RADS 4", "BI-RADS 1", "0"].map { BIRADS($0)?.label },
                       [.normal, .benign, .benign, .malignant, .malignant, .malignant, .malignant, .malignant, .normal, nil])
        XCTAssertNil(BIRADS("x"))
        XCTAssertNil(BIRADS("7"))
    }
}
