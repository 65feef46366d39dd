import Foundation

/// A CSV file with a header row, read by column name: rows report errors as
/// `FILE: line N, column 'c': …`, so a malformed row in a large annotation table is found at once.
struct CSVTable {
    struct Row {
        let fields: [String]
        let line: Int
        let table: CSVTable

        /// The trimmed value of a column the table has; an error naming file and line if the row is short.
        func value(_ name: String) throws -> String {
            guard let index = table.columns[CSVTable.normalise(name)] else {
                throw DataError(file: table.file, "line 1: no '\(name)' column")
            }
            guard index < fields.count else {
                throw DataError(file: table.file, "line \(line): \(fields.count) fields, no '\(name)'; the row is cut short, fix or remove it")
            }
            return fields[index].trimmingCharacters(in: .whitespacesAndNewlines)
        }

        /// The value of an optional column, nil when the table has no such column.
        func optional(_ name: String) throws -> String? {
            table.has(name) ? try value(name) : nil
        }

        /// A number; an error naming file, line and column when the text is not one.
        func number(_ name: String) throws -> Double? {
            let text = try value(name)
            if text.isEmpty { return nil }
            guard let number = Double(text), number.isFinite else {
                throw error(name, "'\(text)' is not a number")
            }
            return number
        }

        func error(_ column: String, _ what: String) -> DataError {
            DataError(file: table.file, "line \(line), column '\(column)': \(what); fix or remove the row")
        }
    }

    let file: String
    let columns: [String: Int]
    let rows: [Row]

    /// Lower case, `_` and runs of whitespace as one space (`Patient ID` = `patient_id`).
    static func normalise(_ name: String) -> String {
        name.lowercased().replacingOccurrences(of: "_", with: " ")
            .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Reads `file`, requiring `required` columns (by normalised name); `what` names the table in errors.
    init(file: String, separator: Character = ",", required: [String], what: String) throws {
        guard let data = FileManager.default.contents(atPath: file) else {
            throw DataError(file: file, "cannot be read; check that the \(what) is there")
        }
        // Latin-1 as a fallback: tables edited in spreadsheet programs are not always UTF-8.
        guard let text = String(data: data, encoding: .utf8) ?? String(data: data, encoding: .isoLatin1) else {
            throw DataError(file: file, "is not text; expected the \(what)")
        }
        let records = try CSV.parse(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text, file: file,
                                    separator: separator.asciiValue ?? UInt8(ascii: ","))
        guard let header = records.first else { throw DataError(file: file, "is empty; expected the \(what) with a header row") }
        var columns: [String: Int] = [:]
        for (index, name) in header.fields.enumerated() where columns[Self.normalise(name)] == nil {
            columns[Self.normalise(name)] = index
        }
        for name in required where columns[Self.normalise(name)] == nil {
            let found = header.fields.prefix(12).joined(separator: String(separator))
            throw DataError(file: file, "line \(header.line): no '\(name)' column (found: \(found)); is this the \(what)?")
        }
        self.file = file
        self.columns = columns
        var rows: [Row] = []
        let placeholder = CSVTable(file: file, columns: columns, rows: [])
        for record in records.dropFirst() where !record.fields.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) {
            rows.append(Row(fields: record.fields, line: record.line, table: placeholder))
        }
        self.rows = rows
    }

    private init(file: String, columns: [String: Int], rows: [Row]) {
        self.file = file; self.columns = columns; self.rows = rows
    }

    func has(_ name: String) -> Bool { columns[Self.normalise(name)] != nil }
}
