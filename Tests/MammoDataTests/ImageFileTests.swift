import Foundation
import XCTest
@testable import MammoData

final class ImageFileTests: XCTestCase {
    func testDispatchesByContentNotName() throws {
        let folder = try Fixtures.temporaryFolder(self)
        for (folderName, name, format) in [("dicom", "rle_u16.dcm", ImageFileFormat.dicom), ("dicom", "raw_implicit_no_meta.dcm", .dicom),
                                            ("pgm", "p5_8bit.pgm", .pgm), ("png", "pillow_gray16.png", .png)] {
            let renamed = folder + "/" + name + ".img"
            try FileManager.default.copyItem(atPath: try Fixtures.path(folderName, name), toPath: renamed)
            XCTAssertEqual(try ImageFile.format(of: renamed), format, name)
        }
        let dicom = try Fixtures.path("dicom", "implicit_le_s12_mono1_rescale.dcm")
        XCTAssertEqual(try ImageFile.readGray(dicom), try DICOMFile(path: dicom).importedImage())
    }

    func testUnknownAndJPEGContentAreErrors() throws {
        let notImage = try Fixtures.path("dicom", "not_dicom.dcm")
        XCTAssertThrowsError(try ImageFile.readGray(notImage)) { error in
            XCTAssertEqual(error as? DataError,
                           DataError(file: notImage, "unknown image format; expected a PNG, DICOM (.dcm) or PGM (P5/P2) file"))
        }
        let folder = try Fixtures.temporaryFolder(self)
        let jpeg = folder + "/photo.jpg"
        XCTAssertTrue(FileManager.default.createFile(atPath: jpeg, contents: Data([0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10])))
        XCTAssertThrowsError(try ImageFile.readGray(jpeg)) { error in
            XCTAssertTrue(String(describing: error).contains("JPEG images are not supported"), "\(error)")
        }
        XCTAssertThrowsError(try ImageFile.readGray(folder)) { error in
            XCTAssertTrue(String(describing: error).contains("is a folder"), "\(error)")
        }
    }

    func testSummaryDescribesDICOM() throws {
        let summary = try ImageFile.summary(try Fixtures.path("dicom", "implicit_le_s12_mono1_rescale.dcm"))
        let want = try Fixtures.expected("dicom", as: [String: ExpectedDICOM].self)["implicit_le_s12_mono1_rescale.dcm"]!
        XCTAssertEqual(summary.format, .dicom)
        XCTAssertEqual(summary.width, 13)
        XCTAssertEqual(summary.height, 7)
        XCTAssertEqual(summary.bitDepth, 16)
        XCTAssertEqual(summary.bitsStored, 12)
        XCTAssertTrue(summary.signed)
        XCTAssertEqual(summary.minimum, Int(want.storedValues.min()!))
        XCTAssertEqual(summary.maximum, Int(want.storedValues.max()!))
        XCTAssertEqual(summary.mean, Double(want.storedValues.reduce(0, +)) / Double(want.storedValues.count), accuracy: 1e-9)
        let text = summary.description
        for line in ["format: DICOM, Implicit VR Little Endian (1.2.840.10008.1.2)", "size: 13 x 7", "bits: 16 allocated, 12 stored, signed",
                     "photometric: MONOCHROME1", "modality LUT: rescale slope 0.5, intercept 10",
                     "window 1: center 200, width 1500, LINEAR",
                     "stored values: min -2048, max 2047"] {
            XCTAssertTrue(text.contains(line), "missing '\(line)' in\n\(text)")
        }
    }

    func testSummaryDescribesPGMAndPNG() throws {
        let pgm = try ImageFile.summary(try Fixtures.path("pgm", "p5_maxval4095.pgm"))
        XCTAssertEqual(pgm.format, .pgm)
        XCTAssertEqual(pgm.maximum, 4095, "stored values, before scaling")
        XCTAssertTrue(pgm.description.contains("format: PGM, P5 (binary), maxval 4095"), pgm.description)
        let png = try ImageFile.summary(try Fixtures.path("png", "pillow_gray8.png"))
        XCTAssertEqual(png.bitDepth, 8)
        XCTAssertEqual(png.minimum, 0)
        XCTAssertEqual(png.maximum, 255)
    }
}
