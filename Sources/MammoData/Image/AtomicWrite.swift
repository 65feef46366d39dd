import Engine
import Foundation

/// Whole-file writes that never leave a half-written file behind (the engine's temp file, fsync,
/// rename), with errors phrased for image and dataset files.
enum AtomicWrite {
    /// Writes `bytes` to `path`; `what` names the content in errors ("PNG", "DICOM file").
    static func write(_ bytes: [UInt8], to path: String, what: String) throws {
        let folder = (path as NSString).deletingLastPathComponent
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.isEmpty ? "." : folder, isDirectory: &isDirectory),
              isDirectory.boolValue else {
            throw DataError(file: path, "cannot write the \(what): the folder '\(folder)' does not exist; create it first")
        }
        do {
            try writeFileAtomically(bytes, to: path)
        } catch {
            throw DataError(file: path, "cannot write the \(what) (\((error as? FileWriteError)?.reason ?? "\(error)")); check that the folder is writable and the disk not full")
        }
    }
}
