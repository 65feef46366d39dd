/// Value representations of the attributes this package reads or writes: the "data
/// dictionary" that implicit-VR files need, since they do not spell the VR out.
/// Attributes absent here are skipped by length and never interpreted.
enum DICOMDictionary {
    static let valueRepresentations: [DICOMTag: String] = [
        .fileMetaGroupLength: "UL", .fileMetaVersion: "OB",
        .mediaStorageSOPClassUID: "UI", .mediaStorageSOPInstanceUID: "UI", .transferSyntaxUID: "UI",
        .implementationClassUID: "UI", .implementationVersionName: "SH",
        .sopClassUID: "UI", .sopInstanceUID: "UI", .modality: "CS", .seriesDescription: "LO",
        .patientID: "LO", .viewPosition: "CS", .studyInstanceUID: "UI", .seriesInstanceUID: "UI",
        .laterality: "CS", .imageLaterality: "CS",
        .samplesPerPixel: "US", .photometricInterpretation: "CS", .numberOfFrames: "IS",
        .rows: "US", .columns: "US", .bitsAllocated: "US", .bitsStored: "US", .highBit: "US",
        .pixelRepresentation: "US", .windowCenter: "DS", .windowWidth: "DS",
        .rescaleIntercept: "DS", .rescaleSlope: "DS", .pixelData: "OW",
        // Pixel semantics. Padding values are US or SS by PixelRepresentation; implicit VR
        // cannot say which, so readers reinterpret the two bytes (`DICOMPixelSemantics`).
        .pixelPaddingValue: "US", .pixelPaddingRangeLimit: "US", .pixelSpacing: "DS", .imagerPixelSpacing: "DS",
        .windowCenterWidthExplanation: "LO", .voiLUTFunction: "CS", .rescaleType: "LO",
        .modalityLUTSequence: "SQ", .lutDescriptor: "US", .lutExplanation: "LO", .modalityLUTType: "LO",
        .lutData: "OW", .voiLUTSequence: "SQ", .presentationLUTShape: "CS",
        .extendedOffsetTable: "OV", .extendedOffsetTableLengths: "OV",
        .viewCodeSequence: "SQ", .codeValue: "SH", .codingSchemeDesignator: "SH", .codeMeaning: "LO",
    ]

    static func valueRepresentation(of tag: DICOMTag) -> String? {
        valueRepresentations[tag] ?? DICOMTag.derivedObjectSequences[tag]
    }

    /// Explicit-VR encodings whose length field is 2 reserved bytes + 4 bytes (PS3.5 7.1.2);
    /// every other VR has a 2-byte length.
    static let longLengthVRs: Set<String> = ["OB", "OD", "OF", "OL", "OV", "OW", "SQ", "SV", "UC", "UN", "UR", "UT", "UV"]
}
