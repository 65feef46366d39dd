// TEMPORARY: removed when branch `files` brings ImageFile (PNG/PGM/DICOM dispatch by content).
enum ImageFile {
    static func readGray(_ path: String) throws -> GrayImage { try PNG.readGray(path) }
}
