/// What an annotation marks, as the manifest's `lesion_type` names it: masses and
/// calcifications are the lesions the study segments; other findings (asymmetry,
/// architectural distortion, …) get a type of their own and are kept only on request.
enum FindingCategory: Hashable, Comparable {
    case mass
    case calcification
    /// Any other finding, by a lower-case, hyphenated name (`focal-asymmetry`).
    case other(String)

    var lesionType: String {
        switch self {
        case .mass: return "mass"
        case .calcification: return "calcification"
        case .other(let name): return name
        }
    }

    var isLesion: Bool { self == .mass || self == .calcification }

    static func < (a: FindingCategory, b: FindingCategory) -> Bool { a.lesionType < b.lesionType }

    /// From a finding or ROI name: `Mass`, `Spiculated Region` (the spicules of a mass) → mass;
    /// `Calcification(s)`, `Suspicious Calcification`, `Cluster` → calcification; anything else
    /// → other. Nil for "No Finding" and empty names.
    init?(name: String) {
        let lower = name.lowercased().trimmingCharacters(in: .whitespaces)
        if lower.isEmpty || lower == "no finding" { return nil }
        if lower.contains("mass") || lower.contains("spiculated") {
            self = .mass
        } else if lower.contains("calcification") || lower.contains("cluster") {
            self = .calcification
        } else {
            let words = lower.split(whereSeparator: { !$0.isLetter && !$0.isNumber })
            self = .other(words.joined(separator: "-"))
        }
    }

    /// `mass+calcification` style lesion type of a set of findings, suffixed `-box` per finding
    /// when the mask was drawn from boxes rather than outlines.
    static func lesionType(_ categories: Set<FindingCategory>, boxes: Bool) -> String {
        categories.sorted().map { $0.lesionType + (boxes ? "-box" : "") }.joined(separator: "+")
    }
}
