import Foundation
import MammoData

/// Whole-file writes that never leave a half-written file behind: Foundation's `.atomic`
/// option writes a temporary file in the same folder and renames it over the target.
public enum AtomicFile {
    public static func write(_ data: Data, to path: String) throws {
        do {
            try data.write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw DataError(file: path, "cannot write (\(error.localizedDescription)); check that the folder exists and is writable")
        }
    }

    public static func write(_ text: String, to path: String) throws {
        try write(Data(text.utf8), to: path)
    }
}
