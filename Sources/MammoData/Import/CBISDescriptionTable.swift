import Foundation

/// One row of a CBIS-DDSM case description CSV: one abnormality on one image.
struct CBISAbnormality: Sendable {
    /// `Mass` or `Calc`.
    enum Kind: String, Sendable { case mass = "mass", calcification = "calcification" }

    var patientID: String          // P_00001
    var laterality: Orientation.Laterality?
    var view: String               // CC / MLO
    var abnormalityID: String
    var kind: Kind
    var pathology: String          // MALIGNANT, BENIGN, BENIGN_WITHOUT_CALLBACK
    var split: Split               // official: Training → train, Test → test
    /// Cleaned relative paths as the CSV gives them: case folder / study / series / file.
    var imagePath: [String]
    var cropPath: [String]
    var maskPath: [String]
    /// Where the row came from, for messages.
    var file: String, line: Int

    /// The full image's case folder, e.g. `Mass-Training_P_00001_LEFT_CC` (the image's id).
    var imageFolder: String { imagePath.first ?? "" }
    var isMalignant: Bool { pathology.uppercased().hasPrefix("MALIGNANT") }
}

/// The CBIS-DDSM description CSVs (mass and calc, train and test). Fourteen columns, one row
/// per abnormality; the calc files spell the density column `breast density`, the mass files
/// `breast_density`; paths may hold stray whitespace, newlines and quotes.
enum CBISDescriptionTable {
    /// Columns this importer needs, by normalised name (lower case, `_` → space).
    static let requiredColumns = ["patient id", "left or right breast", "image view", "abnormality id",
                                  "abnormality type", "pathology", "image file path",
                                  "cropped image file path", "roi mask file path"]

    static func normalise(_ header: String) -> String {
        header.lowercased().replacingOccurrences(of: "_", with: " ")
            .split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
    }

    /// Splits a CSV path into components, dropping quotes, whitespace and line breaks.
    static func cleanPath(_ raw: String) -> [String] {
        let cleaned = raw.filter { !$0.isWhitespace && $0 != "\"" && $0 != "'" }
            .replacingOccurrences(of: "\\", with: "/")
        return cleaned.split(separator: "/").map(String.init).filter { $0 != "." && $0 != "CBIS-DDSM" }
    }

    static func read(_ path: String) throws -> [CBISAbnormality] {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw DataError(file: path, "cannot read the description CSV; check the path")
        }
        return try parse(text, file: path)
    }

    /// Parses a description CSV's text; `path` names it in errors.
    static func parse(_ text: String, file path: String) throws -> [CBISAbnormality] {
        let records = try CSV.parse(text, file: path)
        guard let header = records.first else { throw DataError(file: path, "empty description CSV") }
        var column: [String: Int] = [:]
        for (index, name) in header.fields.enumerated() { column[normalise(name)] = index }
        for name in requiredColumns where column[name] == nil {
            throw DataError(file: path, "line 1: no '\(name)' column; is this a CBIS-DDSM case description CSV?")
        }
        guard column["breast density"] != nil else {
            throw DataError(file: path, "line 1: no 'breast_density' or 'breast density' column; is this a CBIS-DDSM case description CSV?")
        }
        var rows: [CBISAbnormality] = []
        for record in records.dropFirst() {
            func value(_ name: String) throws -> String {
                let index = column[name]!
                guard index < record.fields.count else {
                    throw DataError(file: path, "line \(record.line): only \(record.fields.count) fields, no '\(name)'; the file may be truncated")
                }
                return record.fields[index].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            let imagePath = cleanPath(try value("image file path"))
            guard let folder = imagePath.first, let kindText = folder.split(separator: "-").first,
                  folder.contains("-Training_") || folder.contains("-Test_") else {
                throw DataError(file: path, "line \(record.line), column 'image file path': '\(imagePath.joined(separator: "/"))' does not start with a Mass-/Calc-Training_/Test_ folder")
            }
            let kind: CBISAbnormality.Kind = kindText.lowercased() == "mass" ? .mass : .calcification
            rows.append(CBISAbnormality(
                patientID: try value("patient id"),
                laterality: Orientation.Laterality(code: try value("left or right breast")),
                view: try value("image view").uppercased(),
                abnormalityID: try value("abnormality id"),
                kind: kind,
                pathology: try value("pathology"),
                split: folder.contains("-Training_") ? .train : .test,
                imagePath: imagePath,
                cropPath: cleanPath(try value("cropped image file path")),
                maskPath: cleanPath(try value("roi mask file path")),
                file: path, line: record.line))
        }
        return rows
    }
}
