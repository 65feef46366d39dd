import Foundation

/// Who and what a DICOM image shows, read from its header without decoding the pixels: enough to
/// group a folder of mammograms into exams and hang them (patient, study, laterality, view).
public struct DICOMStudyIdentity: Sendable, Equatable {
    public var patientID: String?
    public var studyInstanceUID: String?
    /// ImageLaterality, else Laterality.
    public var laterality: Orientation.Laterality?
    /// ViewPosition (upper-cased), else the ViewCodeSequence's view (`CC`, `MLO`, …).
    public var view: String?

    public init(path: String) throws {
        let header = try DICOMHeader(path: path)
        patientID = header.string(.patientID)
        studyInstanceUID = header.string(.studyInstanceUID)
        laterality = (header.string(.imageLaterality) ?? header.string(.laterality)).flatMap(Orientation.Laterality.init(code:))
        view = try header.string(.viewPosition).map { $0.uppercased() } ?? header.viewFromCodeSequence()
    }
}
