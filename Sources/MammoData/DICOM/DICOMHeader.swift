import Foundation

/// A DICOM file's attributes without its pixels: what importers need to group images by
/// patient and to tell the view (any attribute by keyword or tag, the ViewCodeSequence).
/// Reads every transfer syntax's header, also those whose pixels `DICOMFile` cannot decode
/// (the header of an encapsulated syntax is explicit VR little endian).
struct DICOMHeader {
    let path: String
    private let dataSet: DICOMDataSet

    init(path: String) throws {
        guard let data = FileManager.default.contents(atPath: path), !data.isEmpty else {
            throw DataError(file: path, "cannot be read or is empty; check the path and permissions")
        }
        try self.init(bytes: [UInt8](data), path: path)
    }

    /// The header of a file already in memory (read once for the pixels and the header). Keeps
    /// a copy of the bytes before PixelData only, not the file.
    init(bytes: [UInt8], path: String) throws {
        self.path = path
        let (syntaxUID, bodyStart) = try DICOMFile.locateDataSet(bytes, file: path)
        let syntax = DICOMTransferSyntax(rawValue: syntaxUID)
        let explicitVR = syntax?.isExplicitVR ?? true, bigEndian = syntax?.isBigEndian ?? false
        let (body, start) = syntax == .deflatedExplicitVRLittleEndian
            ? (try RawDeflate.inflate(bytes[bodyStart...], file: path), 0) : (bytes, bodyStart)
        let beforePixels: (DICOMTag) -> Bool = { $0 != .pixelData }
        let end = try DICOMDataSet.parse(body, from: start, explicitVR: explicitVR, bigEndian: bigEndian,
                                         file: path, while: beforePixels).end
        dataSet = try DICOMDataSet.parse(Array(body[start..<end]), from: 0, explicitVR: explicitVR, bigEndian: bigEndian,
                                         file: path, while: beforePixels).0
    }

    /// A top-level text attribute, trimmed; nil if absent or empty.
    func string(_ tag: DICOMTag) -> String? { dataSet.string(tag) }

    /// The view from ViewCodeSequence (0054,0220): `CC`, `MLO`, … (`MammographyView`); nil if absent or unknown.
    func viewFromCodeSequence() throws -> String? {
        for item in dataSet[.viewCodeSequence]?.items ?? [] {
            if let view = MammographyView.abbreviation(codeValue: item.string(.codeValue), meaning: item.string(.codeMeaning)) {
                return view
            }
        }
        return nil
    }

    /// A tag from a keyword this package knows (`PatientID`, `StudyInstanceUID`, …) or from
    /// `gggg,eeee` / `(gggg,eeee)` in hexadecimal; nil when it is neither.
    static func tag(named name: String) -> DICOMTag? {
        if let tag = keywords[name.lowercased()] { return tag }
        let digits = name.filter { $0.isHexDigit }
        let shape = name.filter { !"(), ".contains($0) }
        guard digits.count == 8, shape.count == 8, let group = UInt16(digits.prefix(4), radix: 16),
              let element = UInt16(digits.suffix(4), radix: 16) else { return nil }
        return DICOMTag(group, element)
    }

    static let keywords: [String: DICOMTag] = [
        "patientid": .patientID, "patientname": DICOMTag(0x0010, 0x0010), "otherpatientids": DICOMTag(0x0010, 0x1000),
        "studyinstanceuid": .studyInstanceUID, "studyid": DICOMTag(0x0020, 0x0010),
        "accessionnumber": DICOMTag(0x0008, 0x0050), "seriesinstanceuid": .seriesInstanceUID,
        "issuerofpatientid": DICOMTag(0x0010, 0x0021), "patientbirthdate": DICOMTag(0x0010, 0x0030),
    ]
}

extension DICOMTag {
    static let viewCodeSequence = DICOMTag(0x0054, 0x0220)
    static let codeValue = DICOMTag(0x0008, 0x0100)
    static let codingSchemeDesignator = DICOMTag(0x0008, 0x0102)
    static let codeMeaning = DICOMTag(0x0008, 0x0104)
}
