/// What a DICOM Segmentation says about its one segment and who made it: the segment's label and
/// SNOMED CT codes (the category and type of CID 7150/7151, the anatomic region), the algorithm,
/// and the equipment and content identification the Segmentation IOD requires.
public struct DICOMSegmentDescription: Sendable, Equatable {
    public var segmentLabel = "Abnormality"
    public var propertyCategory = DICOMCode.morphologicallyAbnormalStructure
    public var propertyType = DICOMCode.mass
    public var anatomicRegion: DICOMCode? = DICOMCode.breast
    public var algorithmName = "MammoSeg"
    /// SoftwareVersions (0018,1020); also the algorithm's version.
    public var softwareVersion = "0.1.0"
    public var manufacturer = "MammoSeg"
    public var manufacturerModelName = "mammoseg"
    public var deviceSerialNumber = "1"
    /// ContentLabel (0070,0080): a code string, upper case.
    public var contentLabel = "MAMMOSEG"
    public var contentDescription = "Probability of abnormality"
    public var seriesDescription = "MammoSeg probability map"
    public var seriesNumber = 9001
    public var instanceNumber = 1

    public init() {}
}
