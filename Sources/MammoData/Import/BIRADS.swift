/// A BI-RADS assessment category (0–6), read from `4`, `4a`, `BI-RADS 4`, `BIRADS_4C`.
///
/// INbreast and VinDr-Mammo have no pathology, so the image label is a proxy from BI-RADS:
/// 1 normal, 2–3 benign, 4–6 malignant (4 = suspicious, biopsy advised; not proven cancer).
/// Category 0 (incomplete) gives no label.
struct BIRADS: Equatable {
    let category: Int

    init?(_ text: String) {
        let upper = text.uppercased()
        let tail = upper.replacingOccurrences(of: "BI-RADS", with: "").replacingOccurrences(of: "BIRADS", with: "")
        let digits = tail.drop { !$0.isNumber }.prefix { $0.isNumber }
        guard let value = Int(digits), (0...6).contains(value) else { return nil }
        category = value
    }

    var label: ImageLabel? {
        switch category {
        case 1: return .normal
        case 2, 3: return .benign
        case 4...6: return .malignant
        default: return nil
        }
    }
}
