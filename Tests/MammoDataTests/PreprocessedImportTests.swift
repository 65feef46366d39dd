import Foundation
import XCTest
@testable import MammoData

/// Importers run `Preprocessing`: the prepared image is what `predict` would make of the raw file,
/// the transform is in the manifest, the policy in dataset.json; version 1 datasets still read.
final class PreprocessedImportTests: XCTestCase {
    func testFolderImportPreparesLikePredictAndRecordsTheTransform() throws {
        let folder = TemporaryFolder()
        let scan = SyntheticFilmScan(width: 500, height: 860, chestWallLeft: false, seed: 21)
        try FileManager.default.createDirectory(atPath: folder.join("raw", "images"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: folder.join("raw", "masks"), withIntermediateDirectories: true)
        // A right breast in a DICOM that says so, with a lesion near the chest wall.
        try DICOMWriter.write(scan.image, to: folder.join("raw", "images", "P1_R_CC.dcm"),
                              attributes: DICOMAttributes(patientID: "P1", laterality: "R", viewPosition: "CC"))
        var lesion = GrayImage(width: 500, height: 860, bitDepth: 8)
        for y in 380..<420 { for x in 420..<460 { lesion[x, y] = 255 } }
        try PNG.write(lesion, to: folder.join("raw", "masks", "P1_R_CC.png"))

        var policy = PreprocessingPolicy.standard
        policy.targetLongestSide = 320
        let options = ImportOptions(preprocessing: policy)
        try FolderImporter(images: folder.join("raw", "images"), masks: folder.join("raw", "masks"), options: options)
            .run(into: folder.join("ds"), log: ImportLog(showProgress: false, write: { _ in }))

        let dataset = try PreparedDataset(root: folder.join("ds"))
        XCTAssertEqual(dataset.provenance?.version, 2)
        XCTAssertEqual(dataset.preprocessing, policy)
        let entry = try XCTUnwrap(dataset.entries.first)
        let transform = try XCTUnwrap(entry.transform)
        let expected = try Preprocessing(policy: policy).prepare(scan.image, laterality: .right)
        XCTAssertEqual(transform, expected.transform)
        XCTAssertTrue(transform.flipped)
        let (image, mask) = try dataset.loadPair(entry)
        XCTAssertEqual(image, expected.image, "the dataset holds what predict prepares")
        XCTAssertEqual(max(image.width, image.height), 320)
        // The lesion went through the same geometry: mapped back it lands where it was drawn.
        let back = transform.mapBack(mask.pixels.map { $0 > 0 ? 1 : 0 })
        var hit = 0
        for y in 380..<420 { for x in 420..<460 where back[y * 500 + x] >= 0.5 { hit += 1 } }
        XCTAssertGreaterThan(hit, 40 * 40 * 8 / 10)
        // The manifest round-trips the transform.
        XCTAssertEqual(try Manifest.read(folder.join("ds", Manifest.fileName)).first?.transform, transform)
    }

    func testVersion1DatasetReadsWithoutTransformsAndNewerIsRefused() throws {
        let folder = TemporaryFolder()
        try FileManager.default.createDirectory(atPath: folder.join("ds"), withIntermediateDirectories: true)
        try folder.write("id,image,mask,split,patient_id,source,label,lesion_type,laterality,view\na,images/a.png,masks/a.png,train,p,s,normal,,L,CC\n",
                         to: "ds/manifest.csv")
        try folder.write(#"{"version":1,"importer":"folder","sources":[],"options":{},"seed":1,"counts":{},"skipped":{},"orientation":"x"}"#,
                         to: "ds/dataset.json")
        let old = try PreparedDataset(root: folder.join("ds"))
        XCTAssertNil(old.entries[0].transform)
        XCTAssertNil(old.preprocessing)
        try folder.write(#"{"version":99}"#, to: "ds/dataset.json")
        XCTAssertThrowsError(try PreparedDataset(root: folder.join("ds"))) { error in
            XCTAssertTrue("\(error)".contains("newer"), "\(error)")
        }
    }

    func testDamagedTransformColumnsAreRefusedWithTheLine() throws {
        let folder = TemporaryFolder()
        let header = (DatasetEntry.columns + TransformColumns.names).joined(separator: ",")
        try folder.write(header + "\na,images/a.png,masks/a.png,train,p,s,normal,,L,CC,100,100,0,0,0,200,100,50,50\n", to: "m.csv")
        XCTAssertThrowsError(try Manifest.read(folder.join("m.csv"))) { error in
            XCTAssertTrue("\(error)".contains("line 2"), "\(error)")
        }
    }
}
