import Foundation

/// An input image of any supported format with what its header says about it (DICOM only):
/// laterality, view (ViewPosition, else ViewCodeSequence), patient and pixel spacing. Files are
/// recognised by content (`ImageFile`).
public struct SourceImage {
    public var image: GrayImage
    public var laterality: Orientation.Laterality?
    public var view: String?
    public var patientID: String?
    /// The DICOM header, for attributes beyond these (`--patient-tag`); nil for other formats.
    var header: DICOMHeader? = nil
    /// mm per pixel: PixelSpacing, else ImagerPixelSpacing (the mean of row and column); nil if unknown.
    public var pixelSpacing: Double? = nil

    static let extensions: Set<String> = ["dcm", "dicom", "png", "pgm"]

    /// Reads `path` with the intensity mapping `intensity` asks for: a DICOM file's VOI window
    /// for `.voiWindow` (a DICOM without one is refused; other formats have none and are read as is).
    public static func read(_ path: String, intensity: IntensityNormalization = .fullRange) throws -> SourceImage {
        if try ImageFile.format(of: path) == .dicom {
            let file = try DICOMFile(path: path)
            let header = try DICOMHeader(path: path)
            let codedView = try header.viewFromCodeSequence()
            let spacing = (file.pixelSpacing ?? file.imagerPixelSpacing).flatMap { $0.isEmpty ? nil : $0.reduce(0, +) / Double($0.count) }
            return SourceImage(image: try file.importedImage(applyWindow: intensity == .voiWindow),
                               laterality: file.laterality.flatMap(Orientation.Laterality.init(code:)),
                               view: file.viewPosition.map { $0.uppercased() } ?? codedView,
                               patientID: file.patientID, header: header, pixelSpacing: spacing.flatMap { $0 > 0 ? $0 : nil })
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
