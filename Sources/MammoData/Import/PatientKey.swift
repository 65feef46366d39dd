import Foundation

/// The key that groups images by woman for the patient split, from IDs that some archives
/// give per view. CBIS-DDSM's DICOM PatientID names the view (`Mass-Test_P_00173_LEFT_CC`,
/// `Calc-Training_P_00005_RIGHT_MLO_1`): splitting by it put one woman's breasts in different
/// splits. The reduction keeps what names the woman.
public enum PatientKey {
    /// `P_00173` for a DDSM-style ID; otherwise the ID with a trailing laterality/view part
    /// (`_LEFT_CC`, `_R_MLO`, `-L-CC_1`) and CBIS's `Mass-Test_` / `Calc-Training_` prefix
    /// removed; the ID itself when nothing is left.
    public static func reduce(_ id: String) -> String {
        let trimmed = id.trimmingCharacters(in: .whitespaces)
        // A DDSM token stands alone (`_P_00173_`), not inside another id (`SP_00173`).
        if let range = trimmed.range(of: #"(?<![A-Za-z0-9])P_\d{5}(?![0-9])"#, options: .regularExpression) {
            return String(trimmed[range])
        }
        var reduced = trimmed.replacingOccurrences(of: #"^(Mass|Calc)-(Training|Test)[_-]"#, with: "",
                                                   options: [.regularExpression, .caseInsensitive])
        let views = MammographyView.nameTokens.joined(separator: "|")
        let tail = #"[_\- ]+((LEFT|RIGHT|L|R)[_\- ]*)?("# + views + #")([_\- ]+\d{1,2})?$"#
        reduced = reduced.replacingOccurrences(of: tail, with: "", options: [.regularExpression, .caseInsensitive])
        reduced = reduced.replacingOccurrences(of: #"[_\- ]+(LEFT|RIGHT)$"#, with: "", options: [.regularExpression, .caseInsensitive])
        return reduced.isEmpty ? trimmed : reduced
    }

    /// The first capture group of `pattern` in `text`, nil when it does not match.
    static func capture(_ pattern: NSRegularExpression, in text: String) -> String? {
        let range = NSRange(text.startIndex..., in: text)
        guard let match = pattern.firstMatch(in: text, range: range), match.numberOfRanges > 1,
              let group = Range(match.range(at: 1), in: text) else { return nil }
        let value = String(text[group])
        return value.isEmpty ? nil : value
    }

    /// Compiles a `--patient-pattern`: a regular expression with exactly one capture group.
    public static func compile(pattern: String) throws -> NSRegularExpression {
        let expression: NSRegularExpression
        do { expression = try NSRegularExpression(pattern: pattern) } catch {
            throw DataError(file: "--patient-pattern", "'\(pattern)' is not a valid regular expression; check its brackets and escapes")
        }
        guard expression.numberOfCaptureGroups == 1 else {
            throw DataError(file: "--patient-pattern", "'\(pattern)' has \(expression.numberOfCaptureGroups) capture groups; give exactly one, around the part of the path that names the patient, e.g. '(P_\\d+)'")
        }
        return expression
    }
}
