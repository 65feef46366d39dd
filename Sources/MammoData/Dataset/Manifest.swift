import Foundation

/// Reading and writing `manifest.csv`, the prepared dataset's table of contents.
///
/// Columns (header required, any order): `id,image,mask,split,patient_id,source,label,
/// lesion_type,laterality,view`, and from version 2 the per-image transform (`TransformColumns`,
/// optional: empty or absent = none). Every error names the file, the line and the column.
public enum Manifest {
    public static let fileName = "manifest.csv"

    public static func read(_ path: String) throws -> [DatasetEntry] {
        guard FileManager.default.fileExists(atPath: path) else {
            throw DataError(file: path, "no manifest; create the dataset with `mammoseg synth` or `mammoseg import`")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError(file: path, "cannot read the manifest; check its permissions")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw DataError(file: path, "manifest is not UTF-8 text; re-create the dataset")
        }
        return try parse(text, file: path)
    }

    /// Parses a manifest's text; `path` names it in errors.
    public static func parse(_ text: String, file path: String) throws -> [DatasetEntry] {
        let records = try CSV.parse(text, file: path)
        guard let header = records.first else {
            throw DataError(file: path, "manifest is empty; re-create the dataset")
        }
        let names = header.fields.map { $0.trimmingCharacters(in: .whitespaces) }
        var column: [String: Int] = [:]
        for (index, name) in names.enumerated() { column[name] = index }
        for name in DatasetEntry.columns where column[name] == nil {
            throw DataError(file: path, "line 1: missing column '\(name)'; the header must hold \(DatasetEntry.columns.joined(separator: ","))")
        }

        var entries: [DatasetEntry] = []
        var seenIDs: [String: Int] = [:]
        for record in records.dropFirst() {
            func value(_ name: String) throws -> String {
                let index = column[name]!
                guard index < record.fields.count else {
                    throw DataError(file: path, "line \(record.line): has \(record.fields.count) fields, column '\(name)' is missing; every row needs \(names.count) fields")
                }
                return record.fields[index]
            }
            func required(_ name: String) throws -> String {
                let text = try value(name)
                guard !text.isEmpty else {
                    throw DataError(file: path, "line \(record.line), column '\(name)': empty; every row needs a \(name)")
                }
                return text
            }
            let id = try required("id")
            guard DatasetEntry.isValidID(id) else {
                throw DataError(file: path, "line \(record.line), column 'id': '\(id)' is not a valid id; use letters, digits, '-', '_', '.'")
            }
            if let first = seenIDs[id] {
                throw DataError(file: path, "line \(record.line), column 'id': '\(id)' already used on line \(first); ids must be unique")
            }
            seenIDs[id] = record.line
            let splitText = try required("split")
            guard let split = Split(rawValue: splitText) else {
                throw DataError(file: path, "line \(record.line), column 'split': '\(splitText)' is not train, val or test")
            }
            let labelText = try required("label")
            guard let label = ImageLabel(rawValue: labelText) else {
                throw DataError(file: path, "line \(record.line), column 'label': '\(labelText)' is not one of \(ImageLabel.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            entries.append(DatasetEntry(
                id: id, image: try required("image"), mask: try required("mask"), split: split,
                patientID: try required("patient_id"), source: try value("source"), label: label,
                lesionType: try value("lesion_type"), laterality: try value("laterality"), view: try value("view")))
            entries[entries.count - 1].transform = try TransformColumns.parse(
                TransformColumns.names.map { name in try column[name].map { _ in try value(name) } ?? "" },
                file: path, line: record.line)
        }
        try PatientSplit.checkDisjoint(entries, file: path)
        return entries
    }

    /// The manifest text for `entries` (header first, rows in the given order).
    public static func text(_ entries: [DatasetEntry]) -> String {
        var text = CSV.line(DatasetEntry.columns + TransformColumns.names)
        for entry in entries { text += CSV.line(entry.fields) }
        return text
    }
}
