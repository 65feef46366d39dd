/// RFC 4180 comma-separated values: quoted fields may hold commas, doubled quotes and
/// line breaks (CBIS-DDSM's description CSVs have paths with embedded newlines).
public enum CSV {
    /// One record and the 1-based line of the file on which it starts (for error messages).
    public struct Record: Sendable {
        public var fields: [String]
        public var line: Int
    }

    /// Parses `text` into records. Blank lines are skipped; CRLF and LF both end a record.
    /// `separator` is `,` unless a source says otherwise (INbreast.csv uses `;`).
    /// Throws if a quoted field is never closed.
    public static func parse(_ text: String, file: String, separator: UInt8 = UInt8(ascii: ",")) throws -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field: [UInt8] = []
        var inQuotes = false
        var line = 1, recordLine = 1, quoteLine = 1
        var fieldStarted = false
        let bytes = Array(text.utf8)
        var i = 0

        func endField() {
            fields.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            fieldStarted = false
        }
        func endRecord() {
            endField()
            if !(fields.count == 1 && fields[0].isEmpty) {
                records.append(Record(fields: fields, line: recordLine))
            }
            fields.removeAll(keepingCapacity: true)
        }

        while i < bytes.count {
            let byte = bytes[i]
            if inQuotes {
                if byte == UInt8(ascii: "\"") {
                    if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\"") {
                        field.append(byte); i += 1
                    } else {
                        inQuotes = false
                    }
                } else {
                    if byte == UInt8(ascii: "\n") { line += 1 }
                    field.append(byte)
                }
            } else {
                switch byte {
                case UInt8(ascii: "\"") where !fieldStarted || field.allSatisfy({ $0 == UInt8(ascii: " ") }):
                    field.removeAll(keepingCapacity: true)
                    inQuotes = true; fieldStarted = true; quoteLine = line
                case separator:
                    endField()
                case UInt8(ascii: "\r"):
                    break
                case UInt8(ascii: "\n"):
                    endRecord()
                    line += 1; recordLine = line
                default:
                    field.append(byte); fieldStarted = true
                }
            }
            i += 1
        }
        if inQuotes {
            throw DataError(file: file, "line \(quoteLine): a quoted field is never closed; check the file's quotes")
        }
        if fieldStarted || !field.isEmpty || !fields.isEmpty { endRecord() }
        return records
    }

    /// Quotes a field when it holds a comma, a quote or a line break.
    public static func escape(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// One line (with trailing newline) from already-unescaped fields.
    public static func line(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",") + "\n"
    }
}

import Foundation
