import Foundation

/// What an object derived from a DICOM image takes from it: the identity it references (SOP
/// class and instance, series, study), the grid (rows × columns), the laterality, and the
/// Patient and General Study attributes copied byte for byte (with SpecificCharacterSet, so
/// names in any character set stay as they were). Read from the header only; pixels are not decoded.
public struct DICOMSourceReference: Sendable {
    /// The source file, for messages.
    public let path: String
    public let sopClassUID: String
    public let sopInstanceUID: String
    public let studyInstanceUID: String
    public let seriesInstanceUID: String
    public let rows: Int
    public let columns: Int
    /// "L" or "R" from ImageLaterality (0020,0062), else Laterality (0020,0060); nil otherwise.
    public let laterality: String?
    /// PatientName, PatientID, …, StudyDate, …, PatientOrientation and SpecificCharacterSet as found.
    let copiedElements: [DICOMDataElement]

    /// Reads the header of the DICOM file at `path`.
    public init(path: String) throws {
        try self.init(bytes: try DICOMFile.readBytes(path), path: path)
    }

    /// The source of a file already read (`file.path` is read again for the header).
    public init(file: DICOMFile) throws {
        try self.init(path: file.path)
        guard rows == file.rows, columns == file.columns else {
            throw DataError(file: path, "changed on disk since it was read (\(file.columns)x\(file.rows), now \(columns)x\(rows)); read it again")
        }
    }

    /// Parses `bytes`, a DICOM file named `path` in messages (an upload need not exist on disk).
    public init(bytes: [UInt8], path: String, limits: ReadLimits = .current) throws {
        self.path = path
        let (dataSet, _, bodyStart) = try DICOMFile.parseDataSet(bytes, path: path, limits: limits, while: { $0 != .pixelData })
        let meta = bodyStart > 0
            ? try? DICOMDataSet.parse(bytes, from: bytes.count >= 132 && bytes[128..<132].elementsEqual("DICM".utf8) ? 132 : 0,
                                      explicitVR: true, bigEndian: false, file: path, while: { $0.group == 0x0002 }).0
            : nil

        func uid(_ tag: DICOMTag, _ name: String, fallback: DICOMTag? = nil) throws -> String {
            guard let value = dataSet.string(tag) ?? fallback.flatMap({ meta?.string($0) }) else {
                throw DataError(file: path, "has no \(name) \(tag); a DICOM Segmentation must reference its source by it, so the file cannot be used (fix its header)")
            }
            guard value.utf8.count <= 64, value.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == ".") }) else {
                throw DataError(file: path, "its \(name) \(tag) '\(value.prefix(70))' is not a valid UID (digits and dots, at most 64); fix its header")
            }
            return value
        }
        sopClassUID = try uid(.sopClassUID, "SOPClassUID", fallback: .mediaStorageSOPClassUID)
        sopInstanceUID = try uid(.sopInstanceUID, "SOPInstanceUID", fallback: .mediaStorageSOPInstanceUID)
        studyInstanceUID = try uid(.studyInstanceUID, "StudyInstanceUID")
        seriesInstanceUID = try uid(.seriesInstanceUID, "SeriesInstanceUID")

        guard let rows = try dataSet.unsignedShort(.rows, "Rows"), let columns = try dataSet.unsignedShort(.columns, "Columns") else {
            throw DataError(file: path, "has no Rows/Columns; it is not an image, so no Segmentation can be made of it")
        }
        try limits.checkPixels(width: columns, height: rows, file: path)
        self.rows = rows
        self.columns = columns
        if let frames = dataSet.firstValue(.numberOfFrames), frames != "1" {
            throw DataError(file: path, "has NumberOfFrames \(frames); a Segmentation is written for single-frame images only")
        }
        let side = (dataSet.string(.imageLaterality) ?? dataSet.string(.laterality))?.uppercased()
        laterality = side == "L" || side == "R" ? side : nil

        // Type 2 attributes are written empty when the source lacks them; type 3 only when present.
        var copied: [DICOMDataElement] = [.text(.studyInstanceUID, "UI", studyInstanceUID)]
        for (tag, vr, type2) in Self.copiedAttributes {
            if let value = Self.rawText(dataSet, tag) {
                copied.append(DICOMDataElement(tag, vr: vr, bytes: value))
            } else if type2 {
                copied.append(.empty(tag, vr))
            }
        }
        copiedElements = copied
    }

    /// Patient (C.7.1.1), General Study (C.7.2.1) and the source's PatientOrientation, with VRs
    /// as PS3.6 gives them (implicit-VR sources do not spell them out); true: type 2.
    static let copiedAttributes: [(DICOMTag, String, Bool)] = [
        (DICOMTag(0x0008, 0x0005), "CS", false),  // SpecificCharacterSet
        (DICOMTag(0x0010, 0x0010), "PN", true),   // PatientName
        (.patientID, "LO", true),
        (DICOMTag(0x0010, 0x0021), "LO", false),  // IssuerOfPatientID
        (DICOMTag(0x0010, 0x0030), "DA", true),   // PatientBirthDate
        (DICOMTag(0x0010, 0x0040), "CS", true),   // PatientSex
        (DICOMTag(0x0008, 0x0020), "DA", true),   // StudyDate
        (DICOMTag(0x0008, 0x0030), "TM", true),   // StudyTime
        (DICOMTag(0x0008, 0x0090), "PN", true),   // ReferringPhysicianName
        (DICOMTag(0x0020, 0x0010), "SH", true),   // StudyID
        (DICOMTag(0x0008, 0x0050), "SH", true),   // AccessionNumber
        (DICOMTag(0x0008, 0x1030), "LO", false),  // StudyDescription
        (DICOMTag(0x0020, 0x0020), "CS", true),   // PatientOrientation (General Image, type 2C: no plane orientation here)
    ]

    /// A text value's bytes as stored, trailing padding (spaces, NULs) removed; nil if absent or empty.
    private static func rawText(_ dataSet: DICOMDataSet, _ tag: DICOMTag) -> [UInt8]? {
        guard let element = dataSet[tag], element.items == nil else { return nil }
        var value = Array(dataSet.bytes[element.value])
        while let last = value.last, last == UInt8(ascii: " ") || last == 0 { value.removeLast() }
        return value.isEmpty ? nil : value
    }
}
