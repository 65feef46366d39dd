import Foundation

/// mini-MIAS's `Info.txt`: one row per abnormality (several rows for some images, e.g. mdb005),
///
///     REFNUM BG CLASS [SEVERITY [X Y RADIUS]]      mdb001 G CIRC B 535 425 197
///
/// with X, Y in pixels from the BOTTOM-LEFT corner, so row = (height − 1) − Y. Diffuse
/// calcifications and a few notes have no coordinates.
struct MIASAbnormality: Sendable {
    var reference: String            // mdb001
    var abnormalityClass: String     // CALC CIRC SPIC MISC ARCH ASYM NORM
    var severity: String?            // B / M
    /// Centre (x from the left, y from the bottom) and radius in pixels, when given.
    var circle: (x: Double, y: Double, radius: Double)?
    var line: Int

    var isNormal: Bool { abnormalityClass == "NORM" }

    var lesionType: String {
        switch abnormalityClass {
        case "CALC": return "calcification"
        case "CIRC", "SPIC", "MISC": return "mass"
        case "ARCH": return "architectural_distortion"
        case "ASYM": return "asymmetry"
        default: return ""
        }
    }
}

enum MIASInfo {
    static let classes: Set<String> = ["CALC", "CIRC", "SPIC", "MISC", "ARCH", "ASYM", "NORM"]
    /// Larger than any image side a reader accepts (PGM stops at 65536).
    static let maximumCoordinate: Double = 65536

    static func read(_ path: String) throws -> [MIASAbnormality] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError(file: path, "cannot read Info.txt; give the mini-MIAS folder holding it with --root")
        }
        return try parse(String(decoding: data, as: UTF8.self), file: path)
    }

    /// Parses the text of an `Info.txt`; `file` names it in errors.
    static func parse(_ text: String, file path: String) throws -> [MIASAbnormality] {
        var rows: [MIASAbnormality] = []
        for (offset, rawLine) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let tokens = rawLine.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            // Only rows that start with a reference number; headers and notes are skipped.
            guard let reference = tokens.first, reference.lowercased().hasPrefix("mdb") else { continue }
            guard tokens.count >= 3, classes.contains(tokens[2].uppercased()) else {
                throw DataError(file: path, "line \(offset + 1): expected 'REFNUM BG CLASS [SEVERITY X Y RADIUS]', got '\(rawLine.trimmingCharacters(in: .whitespaces))'")
            }
            let number = reference.dropFirst(3)
            guard (1...6).contains(number.count), number.allSatisfy({ $0.isASCII && $0.isNumber }) else {
                throw DataError(file: path, "line \(offset + 1): reference '\(reference)' is not 'mdb' followed by up to 6 digits (e.g. mdb001)")
            }
            var row = MIASAbnormality(reference: reference.lowercased(), abnormalityClass: tokens[2].uppercased(),
                                      severity: tokens.count > 3 ? tokens[3].uppercased() : nil, circle: nil, line: offset + 1)
            if tokens.count >= 7, let x = Double(tokens[4]), let y = Double(tokens[5]), let radius = Double(tokens[6]) {
                // Pixel coordinates of a 1024² image; anything not finite or far outside any image is damage.
                for (name, value) in [("X", x), ("Y", y), ("RADIUS", radius)]
                where !value.isFinite || value < 0 || value > maximumCoordinate {
                    throw DataError(file: path, "line \(offset + 1): \(name) '\(value)' is not a pixel coordinate in 0…\(Int(maximumCoordinate)); fix the row")
                }
                row.circle = (x, y, radius)
            }
            rows.append(row)
        }
        guard !rows.isEmpty else { throw DataError(file: path, "no mdbNNN rows; is this mini-MIAS's Info.txt?") }
        return rows
    }
}
