import Foundation
import XCTest
@testable import MammoData

/// The DICOM Segmentation writer at the byte level: what it writes reads back (our reader and
/// pydicom), with defined and undefined sequence lengths, FRACTIONAL and 1-bit BINARY pixels,
/// every element of even length; bad sources and bad maps are refused naming the source.
/// (dciodvfy, highdicom and DCMTK's C-STORE check the whole file: CLITests/DICOMSegmentationTests.)
final class DICOMSegmentationTests: XCTestCase {
    /// A small source image with a patient, a study and a laterality.
    private func source(in folder: TemporaryFolder, width: Int = 7, height: Int = 5) throws -> String {
        let path = folder.join("source.dcm")
        let image = GrayImage(width: width, height: height, bitDepth: 16, pixels: (0..<(width * height)).map { UInt16($0 * 100) })
        try DICOMWriter.write(image, to: path, attributes: DICOMAttributes(patientID: "P_00042", laterality: "L", viewPosition: "CC"))
        return path
    }

    private func ramp(_ count: Int) -> [Float] { (0..<count).map { Float($0) / Float(count - 1) } }

    func testFractionalReadsBackWithDefinedAndUndefinedLengths() throws {
        let folder = TemporaryFolder()
        let reference = try DICOMSourceReference(path: try source(in: folder))
        XCTAssertEqual(reference.rows, 5)
        XCTAssertEqual(reference.columns, 7)
        XCTAssertEqual(reference.laterality, "L")
        let p = ramp(35)
        for length in [DICOMDataSetEncoder.SequenceLength.defined, .undefined] {
            let seg = try DICOMSegmentation(probability: p, source: reference, kind: .fractional,
                                            description: DICOMSegmentDescription(), seriesInstanceUID: nil,
                                            created: Date(), sequenceLength: length)
            XCTAssertEqual(seg.bytes.count % 2, 0)
            XCTAssertTrue(seg.sopInstanceUID.hasPrefix("2.25."))
            let map = try DICOMSegmentationMap(bytes: seg.bytes, path: "\(length).dcm")
            XCTAssertTrue(map.isFractional)
            XCTAssertEqual(map.rows, 5)
            XCTAssertEqual(map.columns, 7)
            XCTAssertEqual(map.referencedSOPInstanceUID, reference.sopInstanceUID, "\(length)")
            for (read, written) in zip(map.probability, p) {
                XCTAssertEqual(read, (written * 255).rounded() / 255, accuracy: 1e-6, "\(length)")
            }
            // The whole tree, sequences included, parses with every length even.
            let (syntax, start) = try DICOMFile.locateDataSet(seg.bytes, file: "seg")
            XCTAssertEqual(syntax, DICOMTransferSyntax.explicitVRLittleEndian.uid)
            let dataSet = try DICOMDataSet.parse(seg.bytes, from: start, explicitVR: true, bigEndian: false, file: "seg").0
            assertEvenLengths(dataSet)
            XCTAssertEqual(dataSet.string(.patientID), "P_00042")
            XCTAssertEqual(dataSet.string(.imageLaterality), "L")
            XCTAssertNil(dataSet[.laterality], "dciodvfy refuses the series' Laterality on a SEG")
            XCTAssertEqual(dataSet.string(.studyInstanceUID), try DICOMFile(path: folder.join("source.dcm")).studyInstanceUID)
            let series = try XCTUnwrap(dataSet[.referencedSeriesSequence]?.items?.first)
            XCTAssertEqual(series.string(.seriesInstanceUID), reference.seriesInstanceUID)
            XCTAssertEqual(series[.referencedInstanceSequence]?.items?.first?.string(.referencedSOPInstanceUID),
                           reference.sopInstanceUID)
            let segment = try XCTUnwrap(dataSet[.segmentSequence]?.items?.first)
            XCTAssertEqual(segment[.segmentedPropertyTypeCodeSequence]?.items?.first?.string(.codeValue), "4147007")
            XCTAssertEqual(segment[.segmentedPropertyTypeCodeSequence]?.items?.first?.string(.codingSchemeDesignator), "SCT")
            let region = segment[.anatomicRegionSequence]?.items?.first
            XCTAssertEqual(region?.string(.codeValue), "76752008")
            XCTAssertEqual(region?[.anatomicRegionModifierSequence]?.items?.first?.string(.codeMeaning), "Left")
        }
    }

    private func assertEvenLengths(_ dataSet: DICOMDataSet, file: StaticString = #filePath, line: UInt = #line) {
        for element in dataSet.elements.values {
            XCTAssertEqual(element.value.count % 2, 0, "\(element.tag)", file: file, line: line)
            for item in element.items ?? [] { assertEvenLengths(item, file: file, line: line) }
        }
    }

    func testBinaryIsOneBitPackedLowestBitFirst() throws {
        let folder = TemporaryFolder()
        let reference = try DICOMSourceReference(path: try source(in: folder, width: 3, height: 5))
        var p = [Float](repeating: 0.2, count: 15)
        for i in [0, 3, 8, 9, 14] { p[i] = 0.9 }
        p[1] = 0.5  // at the threshold: not above it, as predict --mask cuts
        XCTAssertEqual(DICOMSegmentation.pixelData(p, kind: .binary(threshold: 0.5)), [0b0000_1001, 0b0100_0011])
        let seg = try DICOMSegmentation(probability: p, source: reference, kind: .binary(threshold: 0.5))
        let map = try DICOMSegmentationMap(bytes: seg.bytes, path: "binary.dcm")
        XCTAssertFalse(map.isFractional)
        XCTAssertEqual(map.probability, p.map { $0 > 0.5 ? 1 : 0 })
        let start = try DICOMFile.locateDataSet(seg.bytes, file: "b").bodyStart
        let dataSet = try DICOMDataSet.parse(seg.bytes, from: start, explicitVR: true, bigEndian: false, file: "b").0
        XCTAssertEqual(dataSet[.pixelData]?.value.count, 2)
        XCTAssertNil(dataSet[.maximumFractionalValue])
        XCTAssertNil(dataSet[.segmentationFractionalType])
        XCTAssertEqual(try dataSet.unsignedShort(.bitsAllocated, "BitsAllocated"), 1)
    }

    /// pydicom (someone else's reader) reads both sequence encodings to the same tree and pixels.
    func testPydicomReadsBothSequenceEncodings() throws {
        let folder = TemporaryFolder()
        let reference = try DICOMSourceReference(path: try source(in: folder))
        for (name, length) in [("defined", DICOMDataSetEncoder.SequenceLength.defined), ("undefined", .undefined)] {
            let seg = try DICOMSegmentation(probability: ramp(35), source: reference, kind: .fractional,
                                            description: DICOMSegmentDescription(), seriesInstanceUID: "2.25.1",
                                            created: Date(timeIntervalSince1970: 0), sequenceLength: length)
            try Data(seg.bytes).write(to: URL(fileURLWithPath: folder.join(name + ".dcm")))
        }
        let script = """
        import sys, pydicom
        a, b = (pydicom.dcmread(sys.argv[i]) for i in (1, 2))
        assert a.SeriesInstanceUID == b.SeriesInstanceUID == "2.25.1"
        for ds in (a, b):
            ref = ds.PerFrameFunctionalGroupsSequence[0].DerivationImageSequence[0].SourceImageSequence[0]
            assert ref.ReferencedSOPInstanceUID == sys.argv[3], ref
            assert ds.SharedFunctionalGroupsSequence[0].SegmentIdentificationSequence[0].ReferencedSegmentNumber == 1
            assert ds.DimensionIndexSequence[0].DimensionIndexPointer == 0x0062000B
        expected = [int(v) for v in sys.argv[4].split(",")]
        assert list(a.pixel_array.ravel()) == list(b.pixel_array.ravel()) == expected, a.pixel_array
        print("ok")
        """
        let stored = DICOMSegmentation.pixelData(ramp(35), kind: .fractional)
        XCTAssertEqual(stored.first, 0)
        XCTAssertEqual(stored.last, 255)
        let result = try runPython(["-c", script, folder.join("defined.dcm"), folder.join("undefined.dcm"), reference.sopInstanceUID,
                                    stored.map(String.init).joined(separator: ",")])
        XCTAssertEqual(result.status, 0, result.output)
        XCTAssertTrue(result.output.contains("ok"), result.output)
    }

    func testBadMapsAndSourcesAreRefusedNamingTheSource() throws {
        let folder = TemporaryFolder()
        let path = try source(in: folder)
        let reference = try DICOMSourceReference(path: path)
        XCTAssertThrowsError(try DICOMSegmentation(probability: ramp(34), source: reference)) { error in
            XCTAssertTrue("\(error)".hasPrefix(path + ": the probability map has 34 values but the image is 7x5"), "\(error)")
        }
        var p = ramp(35)
        p[3] = .nan
        XCTAssertThrowsError(try DICOMSegmentation(probability: p, source: reference)) { error in
            XCTAssertTrue("\(error)".contains("non-finite value at pixel 3"), "\(error)")
        }
        var description = DICOMSegmentDescription()
        description.contentLabel = "lower case"
        XCTAssertThrowsError(try DICOMSegmentation(probability: ramp(35), source: reference, description: description)) { error in
            XCTAssertTrue("\(error)".contains("(0070,0080) 'lower case' is not a code string"), "\(error)")
        }
        // A PNG is no DICOM; a data set without SOPInstanceUID cannot be referenced.
        try PNG.write(GrayImage(width: 4, height: 4, bitDepth: 8), to: folder.join("a.png"))
        XCTAssertThrowsError(try DICOMSourceReference(path: folder.join("a.png"))) { error in
            XCTAssertTrue("\(error)".hasPrefix(folder.join("a.png") + ": not a DICOM file"), "\(error)")
        }
        var encoder = DICOMElementEncoder(explicitVR: true, bigEndian: false)
        encoder.append(.studyInstanceUID, vr: "UI", text: "1.2.3")
        encoder.append(.rows, unsignedShort: 2)
        let bare = [UInt8](repeating: 0, count: 128) + Array("DICM".utf8)
            + [0x02, 0x00, 0x10, 0x00] + Array("UI".utf8) + [20, 0] + Array("1.2.840.10008.1.2.1\0".utf8) + encoder.bytes
        XCTAssertThrowsError(try DICOMSourceReference(bytes: bare, path: "bare.dcm")) { error in
            XCTAssertTrue("\(error)".hasPrefix("bare.dcm: has no SOPClassUID (0008,0016)"), "\(error)")
        }
        // Our writer refuses to repeat a tag or overflow a VR.
        XCTAssertThrowsError(try DICOMDataSetEncoder().encode([.text(.modality, "CS", "SEG"), .text(.modality, "CS", "SEG")]))
        XCTAssertThrowsError(try DICOMDataSetEncoder().encode([.text(.patientID, "LO", String(repeating: "x", count: 65))]))
        XCTAssertNoThrow(try DICOMDataSetEncoder().encode([.text(.patientID, "LO", String(repeating: "x", count: 64))]))
    }

    func testTwoSegmentationsOfOneSourceHaveTheirOwnUIDs() throws {
        let folder = TemporaryFolder()
        let reference = try DICOMSourceReference(path: try source(in: folder))
        let a = try DICOMSegmentation(probability: ramp(35), source: reference)
        let b = try DICOMSegmentation(probability: ramp(35), source: reference)
        XCTAssertNotEqual(a.sopInstanceUID, b.sopInstanceUID)
        XCTAssertNotEqual(a.seriesInstanceUID, b.seriesInstanceUID)
        let path = folder.join("seg.dcm")
        try a.write(to: path)
        XCTAssertEqual(try DICOMSegmentationMap(path: path).probability.count, 35)
        XCTAssertTrue(DICOMSegmentationMap.isSegmentation(path: path))
        XCTAssertFalse(DICOMSegmentationMap.isSegmentation(path: folder.join("source.dcm")))
        XCTAssertThrowsError(try DICOMSegmentationMap(path: folder.join("source.dcm"))) { error in
            XCTAssertTrue("\(error)".contains("is not a DICOM Segmentation"), "\(error)")
        }
    }

    private func runPython(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("seg-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, try String(contentsOf: log, encoding: .utf8))
    }
}
