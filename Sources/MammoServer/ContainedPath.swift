import Foundation

/// Paths resolved with every symbolic link followed, and the check that one stays inside a root:
/// a link under DIR that leads out of it is not served.
enum ContainedPath {
    /// The canonical path (`realpath`), or nil when it does not exist.
    static func resolve(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// The canonical form of `path` when it lies inside the canonical `root`, else nil.
    static func inside(_ path: String, root canonicalRoot: String) -> String? {
        guard let resolved = resolve(path) else { return nil }
        let prefix = canonicalRoot.hasSuffix("/") ? canonicalRoot : canonicalRoot + "/"
        return resolved.hasPrefix(prefix) ? resolved : nil
    }
}
