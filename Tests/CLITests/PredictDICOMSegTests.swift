import Foundation
import MammoData
import XCTest

/// `predict --dicom-seg [--binary-seg]` on mammogram-like DICOMs (explicit and implicit VR, both
/// lateralities, a UTF-8 patient name), checked by tools nobody here wrote
/// (scripts/check_dicom_seg.py): dciodvfy finds no error, highdicom reads the pixels equal to the
/// PNG map within 1/255 by the source's instance UID, the patient, study and references are the
/// source's, and DCMTK's storescp receives each SEG over C-STORE from storescu on a free loopback
/// port. `make test` installs the tools (scripts/setup_test_tools.sh).
final class PredictDICOMSegTests: XCTestCase {
    var folder: TemporaryFolder!

    override func setUp() { folder = TemporaryFolder(name) }
    override func tearDown() { folder = nil }

    static var checkpoint: String {
        get throws {
            let path = DICOMCorpusTests.repository.appendingPathComponent("Tests/MammographyTests/Fixtures/models/dilated-resize.safetensors").path
            guard FileManager.default.fileExists(atPath: path) else {
                throw XCTSkip("fixture \(path) missing; run scripts/fixtures/make_model_fixtures.py")
            }
            return path
        }
    }

    func testSegmentationsPassDciodvfyReadInHighdicomAndAreStoredOverCStore() throws {
        let sources = [(folder.join("left.dcm"), ["--laterality", "L"]),
                       (folder.join("right_implicit.dcm"), ["--laterality", "R", "--implicit", "--seed", "2", "--size", "380x620"])]
        for (path, options) in sources {
            let made = try DICOMCorpusTests.python(["scripts/check_dicom_seg.py", "source", path] + options)
            XCTAssertEqual(made.status, 0, made.output)
        }
        let out = folder.join("out")
        let predicted = try MammosegProcess.run(["predict", "--checkpoint", try Self.checkpoint, "--out", out, "--dicom-seg",
                                                 "--binary-seg", "--threshold", "0.5", "--target-longest-side", "192",
                                                 "--threads", "2"] + sources.map(\.0), folder: folder.path)
        XCTAssertEqual(predicted.status, 0, predicted.stderr)
        for (path, _) in sources {
            let stem = out + "/" + ((path as NSString).lastPathComponent as NSString).deletingPathExtension
            let checked = try DICOMCorpusTests.python(["scripts/check_dicom_seg.py", "check", path, stem, "--threshold", "0.5"])
            XCTAssertEqual(checked.status, 0, checked.output)
            XCTAssertTrue(checked.output.hasSuffix("all checks passed\n"), checked.output)
            XCTAssertTrue(checked.output.contains("dciodvfy -new"), checked.output)
            XCTAssertTrue(checked.output.contains("storescu sent"), checked.output)
        }
    }

    func testNonDICOMInputAndMisusedFlagsAreOneLineErrors() throws {
        let png = folder.join("scan.png"), out = folder.join("out")
        try PNG.write(GrayImage(width: 8, height: 8, bitDepth: 8), to: png)
        let checkpoint = try Self.checkpoint
        var result = try MammosegProcess.run(["predict", "--checkpoint", checkpoint, "--out", out, "--dicom-seg", png],
                                             folder: folder.path)
        assertOneLineError(result, naming: png, mentioning: ["not a DICOM file", "--dicom-seg"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: out + "/scan_probability.png"), "failed before the work")
        result = try MammosegProcess.run(["predict", "--checkpoint", checkpoint, "--out", out, "--binary-seg", png],
                                         folder: folder.path)
        assertOneLineError(result, naming: nil, mentioning: ["--binary-seg", "--dicom-seg"])
        result = try MammosegProcess.run(["predict", "--checkpoint", checkpoint, "--out", out, "--dicom-seg", "--data", folder.path],
                                         folder: folder.path)
        assertOneLineError(result, naming: nil, mentioning: ["--dicom-seg", "--data"])
    }
}
