import Foundation

/// Finding an archive's files by name under its root, whatever folder the download put them in.
enum ArchiveFiles {
    /// Every file under `root` (recursively) whose extension is one of `extensions` (lower case), sorted.
    static func files(under root: String, extensions: Set<String>) throws -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue,
              let walker = FileManager.default.enumerator(atPath: root) else {
            throw DataError(file: root, "no such folder; give the archive's folder with --root")
        }
        var found: [String] = []
        while let relative = walker.nextObject() as? String {
            if extensions.contains((relative as NSString).pathExtension.lowercased()) {
                found.append((root as NSString).appendingPathComponent(relative))
            }
        }
        return found.sorted()
    }

    /// The file named `name` (case-insensitive) at the root, else the first one below it; nil if none.
    static func find(_ name: String, under root: String) -> String? {
        let direct = (root as NSString).appendingPathComponent(name)
        if FileManager.default.fileExists(atPath: direct) { return direct }
        guard let walker = FileManager.default.enumerator(atPath: root) else { return nil }
        var matches: [String] = []
        while let relative = walker.nextObject() as? String {
            if (relative as NSString).lastPathComponent.lowercased() == name.lowercased() {
                matches.append((root as NSString).appendingPathComponent(relative))
            }
        }
        return matches.sorted().first
    }

    static func stem(_ path: String) -> String {
        ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    }
}
