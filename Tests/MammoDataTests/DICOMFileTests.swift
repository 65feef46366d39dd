import Foundation
import XCTest
@testable import MammoData

/// The DICOM reader against pydicom, file by file (fixtures from scripts/fixtures/make_dicom_fixtures.py).
final class DICOMFileTests: XCTestCase {
    func testEverySyntaxMatchesPydicom() throws {
        let expected = try Fixtures.expected("dicom", as: [String: ExpectedDICOM].self)
        XCTAssertGreaterThanOrEqual(expected.count, 10)
        for (name, want) in expected.sorted(by: { $0.key < $1.key }) {
            let file = try DICOMFile(path: try Fixtures.path("dicom", name))
            XCTAssertEqual(file.rows, want.rows, name)
            XCTAssertEqual(file.columns, want.columns, name)
            XCTAssertEqual(file.bitsAllocated, want.bitsAllocated, name)
            XCTAssertEqual(file.bitsStored, want.bitsStored, name)
            XCTAssertEqual(file.highBit, want.highBit, name)
            XCTAssertEqual(file.pixelRepresentation.rawValue, want.pixelRepresentation, name)
            XCTAssertEqual(file.photometricInterpretation, want.photometricInterpretation, name)
            XCTAssertEqual(file.transferSyntaxUID, want.transferSyntaxUID, name)
            XCTAssertEqual(file.rescaleSlope, want.rescaleSlope, name)
            XCTAssertEqual(file.rescaleIntercept, want.rescaleIntercept, name)
            XCTAssertEqual(file.windowCenter, want.windowCenter, name)
            XCTAssertEqual(file.windowWidth, want.windowWidth, name)
            XCTAssertEqual(file.laterality ?? "", want.laterality, name)
            XCTAssertEqual(file.viewPosition ?? "", want.viewPosition, name)
            XCTAssertEqual(file.patientID ?? "", want.patientID, name)
            XCTAssertEqual(file.seriesDescription ?? "", want.seriesDescription, name)
            XCTAssertEqual(file.seriesInstanceUID ?? "", want.seriesInstanceUID, name)
            XCTAssertEqual(file.storedValues, want.storedValues, "\(name): stored values differ from pydicom's pixel_array")

            let imported = file.importedImage()
            XCTAssertEqual(imported.width, want.columns, name)
            XCTAssertEqual(imported.height, want.rows, name)
            XCTAssertEqual(imported.bitDepth, 16, name)
            XCTAssertEqual(imported.pixels, want.importedImage, "\(name): import transform differs from numpy's")
            if let windowed = want.windowedImage {
                XCTAssertEqual(try file.importedImage(applyWindow: true).pixels, windowed, "\(name): windowing differs")
            } else {
                XCTAssertThrowsError(try file.importedImage(applyWindow: true), "\(name) has no window")
            }
        }
    }

    func testImportedImageSpansTheFullRangeAndKeepsDenseTissueBright() throws {
        // The stored extremes (first and last pixel of every fixture) map to 0 and 65535;
        // MONOCHROME1 turns that around, so the brightest stored value becomes the darkest pixel.
        let mono2 = try DICOMFile(path: try Fixtures.path("dicom", "explicit_le_u16.dcm")).importedImage()
        XCTAssertEqual(mono2.pixels.first, 0)
        XCTAssertEqual(mono2.pixels.last, 65535)
        let mono1 = try DICOMFile(path: try Fixtures.path("dicom", "rle_s12_mono1.dcm")).importedImage()
        XCTAssertEqual(mono1.pixels.first, 65535)
        XCTAssertEqual(mono1.pixels.last, 0)
    }

    /// A raw big-endian data set (no preamble, no meta group) with 8-bit samples in OW: the
    /// encoding is sniffed from the first element, and OW's 16-bit byte swap is undone.
    func testRawBigEndianDataSetWithEightBitSamplesInOW() throws {
        var encoder = DICOMElementEncoder(explicitVR: true, bigEndian: true)
        encoder.append(.rows, unsignedShort: 1)
        encoder.append(.columns, unsignedShort: 3)
        encoder.append(.bitsAllocated, unsignedShort: 8)
        encoder.append(.bitsStored, unsignedShort: 8)
        encoder.append(.highBit, unsignedShort: 7)
        encoder.append(.pixelRepresentation, unsignedShort: 0)
        // Samples 10, 20, 30 (+ pad) as big-endian 16-bit words: [20, 10], [0, 30].
        encoder.append(.pixelData, vr: "OW", value: [20, 10, 0, 30])
        let path = try Fixtures.temporaryFolder(self) + "/raw-be.dcm"
        try Data(encoder.bytes).write(to: URL(fileURLWithPath: path))
        let file = try DICOMFile(path: path)
        XCTAssertEqual(file.transferSyntaxUID, DICOMTransferSyntax.explicitVRBigEndian.uid)
        XCTAssertEqual(file.storedValues, [10, 20, 30])
    }

    /// A syntax no decoder here reads (MPEG-2 video) is refused by name, with what to do.
    func testUnsupportedSyntaxIsRefusedByName() throws {
        var encoder = DICOMElementEncoder(explicitVR: true, bigEndian: false)
        encoder.appendRaw([UInt8](repeating: 0, count: 128) + Array("DICM".utf8))
        encoder.append(.transferSyntaxUID, vr: "UI", text: "1.2.840.10008.1.2.4.100")
        encoder.append(.rows, unsignedShort: 1)
        let path = try Fixtures.temporaryFolder(self) + "/mpeg2.dcm"
        try Data(encoder.bytes).write(to: URL(fileURLWithPath: path))
        XCTAssertThrowsError(try DICOMFile(path: path)) { error in
            let message = String(describing: error)
            XCTAssertTrue(message.hasPrefix(path), message)
            XCTAssertTrue(message.contains("unsupported transfer syntax 1.2.840.10008.1.2.4.100 (MPEG2 Main Profile)"), message)
            XCTAssertTrue(message.contains("gdcmconv --raw"), message)
        }
    }

    /// The JPEG baseline fixture holds an empty codestream (SOI, EOI): refused, naming the file
    /// and what is missing. Real JPEG files are checked by DICOMCorpusTests.
    func testEmptyJPEGCodestreamIsRefusedClearly() throws {
        let path = try Fixtures.path("dicom", "jpeg_baseline.dcm")
        XCTAssertThrowsError(try DICOMFile(path: path)) { error in
            let message = String(describing: error)
            XCTAssertTrue(message.hasPrefix(path), message)
            XCTAssertTrue(message.contains("cannot decode its JPEG pixel data: the JPEG codestream has no frame header"), message)
        }
    }

    func testNonDICOMEmptyAndMissingFilesAreErrors() throws {
        let notDICOM = try Fixtures.path("dicom", "not_dicom.dcm")
        XCTAssertThrowsError(try DICOMFile(path: notDICOM)) { error in
            XCTAssertTrue(String(describing: error).contains("not a DICOM file"), "\(error)")
        }
        let folder = try Fixtures.temporaryFolder(self)
        let empty = folder + "/empty.dcm"
        XCTAssertTrue(FileManager.default.createFile(atPath: empty, contents: Data()))
        XCTAssertThrowsError(try DICOMFile(path: empty)) { error in
            XCTAssertEqual(error as? DataError, DataError(file: empty, "empty file (0 bytes); expected a DICOM image"))
        }
        XCTAssertThrowsError(try DICOMFile(path: folder + "/missing.dcm")) { error in
            XCTAssertTrue(String(describing: error).contains("no such file"), "\(error)")
        }
    }

    /// Every prefix of every fixture (a file cut short anywhere) must throw a `DataError`, never
    /// trap; prefixes that end after the pixel data may still parse, but then must decode correctly.
    func testTruncatedFilesThrowInsteadOfCrashing() throws {
        let folder = try Fixtures.temporaryFolder(self)
        let expected = try Fixtures.expected("dicom", as: [String: ExpectedDICOM].self)
        for name in expected.keys.sorted() {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: try Fixtures.path("dicom", name)))
            let cut = folder + "/" + name
            var parsedPrefixes = 0
            for length in stride(from: 1, to: bytes.count, by: max(1, bytes.count / 150)) {
                try bytes.prefix(length).write(to: URL(fileURLWithPath: cut))
                do {
                    let file = try DICOMFile(path: cut)
                    parsedPrefixes += 1
                    XCTAssertEqual(file.storedValues, expected[name]?.storedValues, "\(name) cut at \(length)")
                } catch let error as DataError {
                    XCTAssertEqual(error.file, cut)
                }
            }
            XCTAssertLessThanOrEqual(parsedPrefixes, 2, "\(name): cut files should fail")
        }
    }

    /// Random byte flips in the header must also end in an error or a decoded image, never a trap.
    func testCorruptedHeadersThrowInsteadOfCrashing() throws {
        let folder = try Fixtures.temporaryFolder(self)
        var generator = SplitMix64(seed: 7)
        for name in ["implicit_le_u12_junkbits.dcm", "deflated_le_u14.dcm", "rle_u16.dcm", "explicit_be_s16_rescale.dcm"] {
            let original = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try Fixtures.path("dicom", name))))
            for trial in 0..<60 {
                var bytes = original
                for _ in 0..<3 {
                    let index = 128 + Int(generator.next() % UInt64(min(bytes.count, 700) - 128))
                    bytes[index] = UInt8(truncatingIfNeeded: generator.next())
                }
                let path = folder + "/\(trial)-" + name
                try Data(bytes).write(to: URL(fileURLWithPath: path))
                do { _ = try DICOMFile(path: path) } catch is DataError {}
            }
        }
    }
}

/// A small deterministic generator, so fuzz cases are the same on every run.
struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
