import Foundation
import MammoData

/// PNG images as `data:` URIs, so a report is one file that opens anywhere offline.
enum PNGEmbedding {
    /// `data:image/png;base64,…` of `image`.
    static func dataURI(_ image: RGBImage) throws -> String {
        "data:image/png;base64," + Data(try encode(image)).base64EncodedString()
    }

    /// The PNG file bytes of `image`. libpng's simplified API writes to files, so the
    /// image goes through a private temporary file.
    // TODO(files): switch to `PNG.encode(image)` (in-memory) once branch `files` is merged.
    static func encode(_ image: RGBImage) throws -> [UInt8] {
        let path = NSTemporaryDirectory() + "/mammoseg-embed-\(getpid())-\(UUID().uuidString).png"
        defer { try? FileManager.default.removeItem(atPath: path) }
        try PNG.write(image, to: path)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError(file: path, "cannot read back the PNG just written; check the temporary folder")
        }
        return [UInt8](data)
    }
}
