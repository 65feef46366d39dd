import Engine
import Foundation

/// The study's comparison: one row per architecture, one column per measured quantity,
/// rendered as a Markdown table (for the write-up) and as JSON (for scripts).
public struct ComparisonTable: Codable, Equatable, Sendable {
    public struct Row: Codable, Equatable, Sendable {
        public var architecture: String
        public var values: [String: Double]
        public init(architecture: String, values: [String: Double]) { self.architecture = architecture; self.values = values }
    }

    public var rows: [Row]
    /// Column order; keys of `values` not listed are appended in first-seen (then sorted) order.
    public var columns: [String]

    public init(rows: [Row], columns: [String] = []) {
        self.rows = rows
        var columns = columns
        for row in rows {
            for key in row.values.keys.sorted() where !columns.contains(key) { columns.append(key) }
        }
        self.columns = columns
    }

    /// Cells printed with 4 significant digits; a missing or non-finite value prints as "–".
    public func markdown() -> String {
        func cell(_ value: Double?) -> String {
            guard let value, value.isFinite else { return "–" }
            return String(format: "%.4g", value)
        }
        func escape(_ text: String) -> String { text.replacingOccurrences(of: "|", with: "\\|") }
        var lines = ["| architecture | " + columns.map(escape).joined(separator: " | ") + " |",
                     "|---|" + columns.map { _ in "---:|" }.joined()]
        for row in rows {
            lines.append("| \(escape(row.architecture)) | " + columns.map { cell(row.values[$0]) }.joined(separator: " | ") + " |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// Pretty-printed JSON with sorted keys. Non-finite values are left out of a row
    /// (JSON has no NaN or infinity).
    public func json() throws -> Data {
        var finite = self
        finite.rows = rows.map { Row(architecture: $0.architecture, values: $0.values.filter { $0.value.isFinite }) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return try encoder.encode(finite)
    }

    /// Writes the Markdown and the JSON rendering atomically.
    public func write(markdownTo markdownPath: String, jsonTo jsonPath: String) throws {
        try writeFileAtomically(Array(markdown().utf8), to: markdownPath)
        try writeFileAtomically(try json(), to: jsonPath)
    }
}
