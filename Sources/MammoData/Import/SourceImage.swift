import Foundation

/// An input image of any supported format with what its header says about it (DICOM only):
/// laterality and view. Non-DICOM files are read by content through `ImageFile.readGray`.
struct SourceImage {
    var image: GrayImage
    var laterality: Orientation.Laterality?
    var view: String?

    static let extensions: Set<String> = ["dcm", "dicom", "png", "pgm"]

    static func read(_ path: String) throws -> SourceImage {
        if isDICOM(path) {
            let file = try DICOMFile(path: path)
            return SourceImage(image: file.importedImage(),
                               laterality: file.laterality.flatMap(Orientation.Laterality.init(code:)),
                               view: file.viewPosition.map { $0.uppercased() })
        }
        return SourceImage(image: try ImageFile.readGray(path), laterality: nil, view: nil)
    }

    /// Whether the file starts like DICOM Part 10 ("DICM" at offset 128) or is named .dcm.
    static func isDICOM(_ path: String) -> Bool {
        let lower = path.lowercased()
        if lower.hasSuffix(".dcm") || lower.hasSuffix(".dicom") { return true }
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = handle.readData(ofLength: 132)
        return head.count == 132 && head.suffix(4) == Data("DICM".utf8)
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
