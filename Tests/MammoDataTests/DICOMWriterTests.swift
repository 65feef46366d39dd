import Foundation
import XCTest
@testable import MammoData

/// DICOMWriter → DICOMFile round trips for every transfer syntax (pydicom reads the same files:
/// `scripts/fixtures/make_dicom_fixtures.py --check DIR` on the output of `mammoseg convert`).
final class DICOMWriterTests: XCTestCase {
    private func pattern(width: Int, height: Int, bitDepth: Int) -> GrayImage {
        var generator = SplitMix64(seed: UInt64(width * 1000 + bitDepth))
        let maxValue = UInt64((1 << bitDepth) - 1)
        var pixels = (0..<(width * height)).map { _ in UInt16(generator.next() % (maxValue + 1)) }
        // Runs long enough for RLE repeats (and across a row end), plus both extremes.
        for i in 3..<min(40, pixels.count) { pixels[i] = 77 }
        pixels[0] = 0
        pixels[pixels.count - 1] = UInt16(maxValue)
        return GrayImage(width: width, height: height, bitDepth: bitDepth, pixels: pixels)
    }

    func testRoundTripEverySyntaxAndDepth() throws {
        let folder = try Fixtures.temporaryFolder(self)
        let attributes = DICOMAttributes(patientID: "P_00001", laterality: "R", viewPosition: "MLO",
                                         seriesDescription: "synthetic", seriesInstanceUID: "1.2.3.4",
                                         windowCenter: 2048.5, windowWidth: 4096)
        for syntax in DICOMTransferSyntax.allCases {
            for bitDepth in [8, 16] {
                let image = pattern(width: 13, height: 7, bitDepth: bitDepth)
                let path = folder + "/\(syntax)-\(bitDepth).dcm"
                try DICOMWriter.write(image, to: path, attributes: attributes, transferSyntax: syntax)
                let file = try DICOMFile(path: path)
                let label = "\(syntax) \(bitDepth)-bit"
                XCTAssertEqual(file.transferSyntaxUID, syntax.uid, label)
                XCTAssertEqual(file.rows, 7, label)
                XCTAssertEqual(file.columns, 13, label)
                XCTAssertEqual(file.bitsAllocated, bitDepth, label)
                XCTAssertEqual(file.bitsStored, bitDepth, label)
                XCTAssertEqual(file.photometricInterpretation, "MONOCHROME2", label)
                XCTAssertEqual(file.storedValues, image.pixels.map(Int32.init), label)
                XCTAssertEqual(file.patientID, "P_00001", label)
                XCTAssertEqual(file.laterality, "R", label)
                XCTAssertEqual(file.viewPosition, "MLO", label)
                XCTAssertEqual(file.seriesDescription, "synthetic", label)
                XCTAssertEqual(file.seriesInstanceUID, "1.2.3.4", label)
                XCTAssertEqual(file.windowCenter, 2048.5, label)
                XCTAssertEqual(file.windowWidth, 4096, label)
                // The import transform maps the full stored range onto 16 bits.
                let scale = bitDepth == 8 ? 257 : 1
                XCTAssertEqual(file.importedImage().pixels, image.pixels.map { $0 * UInt16(scale) }, label)
                XCTAssertEqual(try ImageFile.readGray(path).pixels, image.pixels.map { $0 * UInt16(scale) }, label)
            }
        }
    }

    func testMonochrome1AndRescaleRoundTrip() throws {
        let folder = try Fixtures.temporaryFolder(self)
        let image = pattern(width: 32, height: 24, bitDepth: 16)
        let path = folder + "/mono1.dcm"
        try DICOMWriter.write(image, to: path, attributes: DICOMAttributes(rescaleSlope: 0.25, rescaleIntercept: -3, monochrome1: true),
                              transferSyntax: .rleLossless)
        let file = try DICOMFile(path: path)
        XCTAssertEqual(file.photometricInterpretation, "MONOCHROME1")
        XCTAssertEqual(file.storedValues, image.pixels.map { 65535 - Int32($0) })
        XCTAssertEqual(file.rescaleSlope, 0.25)
        XCTAssertEqual(file.rescaleIntercept, -3)
        // Rescale is linear and MONOCHROME1 is undone on import, so the image comes back as written.
        XCTAssertEqual(file.importedImage().pixels, image.pixels)
    }

    func testWrittenFileIsPart10WithMetaGroupLength() throws {
        let image = pattern(width: 5, height: 3, bitDepth: 16)
        let bytes = try DICOMWriter.encode(image, attributes: DICOMAttributes(), transferSyntax: .explicitVRBigEndian, file: "x")
        XCTAssertEqual(Array(bytes[0..<128]), [UInt8](repeating: 0, count: 128))
        XCTAssertEqual(Array(bytes[128..<132]), Array("DICM".utf8))
        // (0002,0000) UL 4 <length>: the meta group's remaining bytes, always little endian.
        XCTAssertEqual(Array(bytes[132..<140]), [0x02, 0x00, 0x00, 0x00, 0x55, 0x4C, 0x04, 0x00])
        let groupLength = Int(bytes[140]) | Int(bytes[141]) << 8 | Int(bytes[142]) << 16 | Int(bytes[143]) << 24
        let afterMeta = 144 + groupLength
        // The data set starts with (0008,0016) in big endian, explicit VR "UI".
        XCTAssertEqual(Array(bytes[afterMeta..<(afterMeta + 6)]), [0x00, 0x08, 0x00, 0x16, 0x55, 0x49])
    }

    func testRejectsWhatDICOMCannotHold() throws {
        let folder = try Fixtures.temporaryFolder(self)
        let image = pattern(width: 4, height: 4, bitDepth: 8)
        XCTAssertThrowsError(try DICOMWriter.write(image, to: folder + "/a.dcm",
                                                   attributes: DICOMAttributes(patientID: String(repeating: "x", count: 65))))
        XCTAssertThrowsError(try DICOMWriter.write(image, to: folder + "/no/such/folder/a.dcm")) { error in
            XCTAssertTrue(String(describing: error).contains("does not exist; create it first"), "\(error)")
        }
    }

    func testUIDsAreUniqueDecimalUnderTheUUIDRoot() {
        let uid = DICOMUID.make(from: UUID(uuidString: "00000000-0000-0000-0000-00000000012C")!)
        XCTAssertEqual(uid, "2.25.300")
        let uuidMax = DICOMUID.make(from: UUID(uuidString: "FFFFFFFF-FFFF-FFFF-FFFF-FFFFFFFFFFFF")!)
        XCTAssertEqual(uuidMax, "2.25.340282366920938463463374607431768211455")
        XCTAssertNotEqual(DICOMUID.make(), DICOMUID.make())
    }

    func testPackBitsRoundTripsAndDecodesTheStandardExample() {
        // The PackBits example from Apple's TN1023 (also the TIFF 6.0 specification).
        let packed: [UInt8] = [0xFE, 0xAA, 0x02, 0x80, 0x00, 0x2A, 0xFD, 0xAA, 0x03, 0x80, 0x00, 0x2A, 0x22, 0xF7, 0xAA]
        let unpacked: [UInt8] = [0xAA, 0xAA, 0xAA, 0x80, 0x00, 0x2A, 0xAA, 0xAA, 0xAA, 0xAA, 0x80, 0x00, 0x2A, 0x22,
                                 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA, 0xAA]
        XCTAssertEqual(DICOMRLE.unpackBits(packed[...], count: unpacked.count), unpacked)
        XCTAssertNil(DICOMRLE.unpackBits(packed.prefix(8), count: unpacked.count))
        var generator = SplitMix64(seed: 3)
        for length in [1, 2, 3, 127, 128, 129, 300] {
            let row = (0..<length).map { i in i % 50 < 20 ? UInt8(9) : UInt8(truncatingIfNeeded: generator.next()) }
            XCTAssertEqual(DICOMRLE.unpackBits(DICOMRLE.packBits(row[...])[...], count: length), row, "length \(length)")
        }
    }
}
