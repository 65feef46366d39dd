import Foundation

/// An input image of any supported format with what its header says about it (DICOM only):
/// laterality, view (ViewPosition, else ViewCodeSequence) and patient. Files are recognised
/// by content (`ImageFile`).
struct SourceImage {
    var image: GrayImage
    var laterality: Orientation.Laterality?
    var view: String?
    var patientID: String?
    /// The DICOM header, for attributes beyond these (`--patient-tag`); nil for other formats.
    var header: DICOMHeader? = nil

    static let extensions: Set<String> = ["dcm", "dicom", "png", "pgm"]

    static func read(_ path: String) throws -> SourceImage {
        if try ImageFile.format(of: path) == .dicom {
            let file = try DICOMFile(path: path)
            let header = try DICOMHeader(path: path)
            let codedView = try header.viewFromCodeSequence()
            return SourceImage(image: file.importedImage(),
                               laterality: file.laterality.flatMap(Orientation.Laterality.init(code:)),
                               view: file.viewPosition.map { $0.uppercased() } ?? codedView,
                               patientID: file.patientID, header: header)
        }
        return SourceImage(image: try ImageFile.readGray(path), laterality: nil, view: nil, patientID: nil)
    }

    /// Image files (by extension) under a folder, recursively, sorted.
    static func files(under folder: String) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder, isDirectory: &isDirectory), isDirectory.boolValue,
              let walker = FileManager.default.enumerator(atPath: folder) else {
            throw DataError(file: folder, "no such folder; check the path")
        }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            if extensions.contains((relative as NSString).pathExtension.lowercased()) {
                files.append((folder as NSString).appendingPathComponent(relative))
            }
        }
        return files.sorted()
    }
}
