/// The descriptive attributes `DICOMWriter` puts next to the pixels; nil fields are left out.
public struct DICOMAttributes: Sendable, Equatable {
    public var patientID: String?
    /// "L" or "R", written as ImageLaterality (0020,0062).
    public var laterality: String?
    /// e.g. "CC", "MLO" (0018,5101).
    public var viewPosition: String?
    /// A ViewCodeSequence (0054,0220) item's code value, e.g. "R-10242" (SNOMED-RT cranio-caudal),
    /// written with undefined lengths as many modalities do.
    public var viewCodeValue: String?
    public var seriesDescription: String?
    /// A new UID is generated when nil.
    public var seriesInstanceUID: String?
    public var windowCenter: Double?
    public var windowWidth: Double?
    public var rescaleSlope: Double?
    public var rescaleIntercept: Double?
    /// PixelSpacing (0028,0030) and ImagerPixelSpacing (0018,1164): row, column in mm.
    public var pixelSpacing: [Double]?
    public var imagerPixelSpacing: [Double]?
    /// MONOCHROME1 stores 2^bits − 1 − value, so that reading the file back (which inverts
    /// MONOCHROME1) returns the image given; exercises the readers' inversion path.
    public var monochrome1: Bool

    public init(patientID: String? = nil, laterality: String? = nil, viewPosition: String? = nil,
                seriesDescription: String? = nil, seriesInstanceUID: String? = nil,
                windowCenter: Double? = nil, windowWidth: Double? = nil,
                rescaleSlope: Double? = nil, rescaleIntercept: Double? = nil, monochrome1: Bool = false,
                viewCodeValue: String? = nil, pixelSpacing: [Double]? = nil, imagerPixelSpacing: [Double]? = nil) {
        self.viewCodeValue = viewCodeValue
        self.pixelSpacing = pixelSpacing; self.imagerPixelSpacing = imagerPixelSpacing
        self.patientID = patientID; self.laterality = laterality; self.viewPosition = viewPosition
        self.seriesDescription = seriesDescription; self.seriesInstanceUID = seriesInstanceUID
        self.windowCenter = windowCenter; self.windowWidth = windowWidth
        self.rescaleSlope = rescaleSlope; self.rescaleIntercept = rescaleIntercept; self.monochrome1 = monochrome1
    }
}
