import MammoData

/// One image the viewer knows: a file under DIR or an upload. `path` is canonical and never leaves the server.
struct CatalogEntry: Sendable {
    /// 16 hex digits, the only handle the page gets.
    let id: String
    /// What the page shows: the path relative to DIR, or the upload's name.
    let name: String
    let path: String
    let format: ImageFileFormat
    /// Names the cached display copy and maps: model, file and its size and time (or an upload's content).
    let cacheKey: String
    let isUpload: Bool
    var patientID: String?
    var studyInstanceUID: String?
    var laterality: Orientation.Laterality?
    var view: String?
    /// Images with the same key form one exam.
    var examKey: String

    /// `name` without folders and extension, for download file names.
    var stem: String {
        let file = name.split(separator: "/").last.map(String.init) ?? name
        guard let dot = file.lastIndex(of: "."), dot != file.startIndex else { return file }
        return String(file[..<dot])
    }
}
