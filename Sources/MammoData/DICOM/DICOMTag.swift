/// A DICOM attribute tag `(gggg,eeee)`: group and element number.
struct DICOMTag: Hashable, Comparable, CustomStringConvertible {
    let group: UInt16
    let element: UInt16

    init(_ group: UInt16, _ element: UInt16) { self.group = group; self.element = element }

    static func < (a: DICOMTag, b: DICOMTag) -> Bool { (a.group, a.element) < (b.group, b.element) }

    var description: String {
        func hex(_ value: UInt16) -> String {
            let digits = String(value, radix: 16, uppercase: true)
            return String(repeating: "0", count: 4 - digits.count) + digits
        }
        return "(\(hex(group)),\(hex(element)))"
    }

    // File meta information (group 0002, always explicit VR little endian).
    static let fileMetaGroupLength = DICOMTag(0x0002, 0x0000)
    static let fileMetaVersion = DICOMTag(0x0002, 0x0001)
    static let mediaStorageSOPClassUID = DICOMTag(0x0002, 0x0002)
    static let mediaStorageSOPInstanceUID = DICOMTag(0x0002, 0x0003)
    static let transferSyntaxUID = DICOMTag(0x0002, 0x0010)
    static let implementationClassUID = DICOMTag(0x0002, 0x0012)
    static let implementationVersionName = DICOMTag(0x0002, 0x0013)

    // Identification and series.
    static let sopClassUID = DICOMTag(0x0008, 0x0016)
    static let sopInstanceUID = DICOMTag(0x0008, 0x0018)
    static let modality = DICOMTag(0x0008, 0x0060)
    static let seriesDescription = DICOMTag(0x0008, 0x103E)
    static let patientID = DICOMTag(0x0010, 0x0020)
    static let viewPosition = DICOMTag(0x0018, 0x5101)
    static let studyInstanceUID = DICOMTag(0x0020, 0x000D)
    static let seriesInstanceUID = DICOMTag(0x0020, 0x000E)
    static let laterality = DICOMTag(0x0020, 0x0060)
    static let imageLaterality = DICOMTag(0x0020, 0x0062)

    // Image pixel module.
    static let samplesPerPixel = DICOMTag(0x0028, 0x0002)
    static let photometricInterpretation = DICOMTag(0x0028, 0x0004)
    static let numberOfFrames = DICOMTag(0x0028, 0x0008)
    static let rows = DICOMTag(0x0028, 0x0010)
    static let columns = DICOMTag(0x0028, 0x0011)
    static let bitsAllocated = DICOMTag(0x0028, 0x0100)
    static let bitsStored = DICOMTag(0x0028, 0x0101)
    static let highBit = DICOMTag(0x0028, 0x0102)
    static let pixelRepresentation = DICOMTag(0x0028, 0x0103)
    static let windowCenter = DICOMTag(0x0028, 0x1050)
    static let windowWidth = DICOMTag(0x0028, 0x1051)
    static let rescaleIntercept = DICOMTag(0x0028, 0x1052)
    static let rescaleSlope = DICOMTag(0x0028, 0x1053)
    static let pixelPaddingValue = DICOMTag(0x0028, 0x0120)
    static let pixelPaddingRangeLimit = DICOMTag(0x0028, 0x0121)
    static let pixelSpacing = DICOMTag(0x0028, 0x0030)
    static let imagerPixelSpacing = DICOMTag(0x0018, 0x1164)
    static let windowCenterWidthExplanation = DICOMTag(0x0028, 0x1055)
    static let voiLUTFunction = DICOMTag(0x0028, 0x1056)
    static let rescaleType = DICOMTag(0x0028, 0x1054)
    static let modalityLUTSequence = DICOMTag(0x0028, 0x3000)
    static let lutDescriptor = DICOMTag(0x0028, 0x3002)
    static let lutExplanation = DICOMTag(0x0028, 0x3003)
    static let modalityLUTType = DICOMTag(0x0028, 0x3004)
    static let lutData = DICOMTag(0x0028, 0x3006)
    static let voiLUTSequence = DICOMTag(0x0028, 0x3010)
    static let presentationLUTShape = DICOMTag(0x2050, 0x0020)
    static let extendedOffsetTable = DICOMTag(0x7FE0, 0x0001)
    static let extendedOffsetTableLengths = DICOMTag(0x7FE0, 0x0002)
    static let pixelData = DICOMTag(0x7FE0, 0x0010)

    // Items and delimiters of sequences and encapsulated pixel data (no VR, 4-byte length).
    static let item = DICOMTag(0xFFFE, 0xE000)
    static let itemDelimitation = DICOMTag(0xFFFE, 0xE00D)
    static let sequenceDelimitation = DICOMTag(0xFFFE, 0xE0DD)
}
