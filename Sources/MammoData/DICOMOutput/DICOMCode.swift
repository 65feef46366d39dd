/// A coded concept (PS3.3 8.8, the Basic Code Sequence Macro): "SCT" 4147007 "Mass", etc.
public struct DICOMCode: Sendable, Equatable {
    public var value: String
    public var scheme: String
    public var meaning: String

    public init(value: String, scheme: String, meaning: String) {
        self.value = value; self.scheme = scheme; self.meaning = meaning
    }

    var elements: [DICOMDataElement] {
        [.text(.codeValue, "SH", value), .text(.codingSchemeDesignator, "SH", scheme), .text(.codeMeaning, "LO", meaning)]
    }

    /// SNOMED CT concepts of the segment (notes/dicom-seg.md; the codes of DICOM's CID 7150/7151).
    public static let morphologicallyAbnormalStructure = DICOMCode(value: "49755003", scheme: "SCT",
                                                                   meaning: "Morphologically Abnormal Structure")
    public static let mass = DICOMCode(value: "4147007", scheme: "SCT", meaning: "Mass")
    public static let breast = DICOMCode(value: "76752008", scheme: "SCT", meaning: "Breast")
    public static let left = DICOMCode(value: "7771000", scheme: "SCT", meaning: "Left")
    public static let right = DICOMCode(value: "24028007", scheme: "SCT", meaning: "Right")
    /// DICOM's own codes for the derivation and the purpose of the reference.
    static let segmentation = DICOMCode(value: "113076", scheme: "DCM", meaning: "Segmentation")
    static let sourceImageForProcessing = DICOMCode(value: "121322", scheme: "DCM",
                                                    meaning: "Source image for image processing operation")
}
