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

    /// The laterality the file states: its header, else a per-view PatientID (CBIS-DDSM's
    /// `Mass-Test_P_00173_LEFT_CC`), else `name` (a file name or path under the archive); nil
    /// when none does, and the image decides. Importers and `predict` ask the same question, so
    /// a raw file is mirrored exactly as its imported counterpart was.
    public func statedLaterality(name: String) -> Orientation.Laterality? {
        laterality ?? patientID.flatMap(Orientation.laterality(fromName:)) ?? Orientation.laterality(fromName: name)
    }

    /// Reads `path` with the intensity mapping `intensity` asks for: a DICOM file's VOI window
    /// for `.voiWindow` (a DICOM without one is refused; other formats have none and are read as is).
    public static func read(_ path: String, intensity: IntensityNormalization = .fullRange) throws -> SourceImage {
        if try ImageFile.format(of: path) == .dicom {
            // Read once: the pixels and the header come from the same bytes.
            let bytes = try DICOMFile.readBytes(path)
            let file = try DICOMFile(bytes: bytes, path: path)
            let header = try DICOMHeader(bytes: bytes, path: path)
            let codedView = try header.viewFromCodeSequence()
            return SourceImage(image: try file.importedImage(applyWindow: intensity == .voiWindow),
                               laterality: file.laterality.flatMap(Orientation.Laterality.init(code:)),
                               view: file.viewPosition.map { $0.uppercased() } ?? codedView,
                               patientID: file.patientID, header: header, pixelSpacing: file.meanPixelSpacing)
        }
        return SourceImage(image: try ImageFile.readGray(path), laterality: nil, view: nil, patientID: nil)
    }

    /// The DICOM header of `path` without decoding its pixels (nil for PNG and PGM, which have
    /// none): enough to group thousands of full-field files by woman before reading any image.
    static func header(of path: String) throws -> DICOMHeader? {
        try ImageFile.format(of: path) == .dicom ? try DICOMHeader(path: path) : nil
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
