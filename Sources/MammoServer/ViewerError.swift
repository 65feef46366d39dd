import Foundation

/// Failures the server reports to the page. Messages are short and name no server path.
enum ViewerError: Error, CustomStringConvertible {
    case cacheDamaged
    case unreadable(String)

    var description: String {
        switch self {
        case .cacheDamaged: return "a cached file is damaged; delete the state folder's maps and restart"
        case let .unreadable(reason): return reason
        }
    }

    /// `error`'s text with every server path replaced by a short label, cut to one line of at most 200 characters.
    static func publicMessage(_ error: Error, hiding paths: [(path: String, label: String)]) -> String {
        var text = "\(error)"
        for (path, label) in paths.sorted(by: { $0.path.count > $1.path.count }) where !path.isEmpty {
            text = text.replacingOccurrences(of: path, with: label)
        }
        text = text.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
        // A path the list did not name (e.g. a temporary file) is cut down to its last component.
        text = text.split(separator: " ", omittingEmptySubsequences: false).map { word -> String in
            guard word.hasPrefix("/") else { return String(word) }
            return (String(word) as NSString).lastPathComponent
        }.joined(separator: " ")
        return text.count > 200 ? String(text.prefix(197)) + "…" : text
    }
}
