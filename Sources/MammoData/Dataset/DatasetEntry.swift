/// The subset an image belongs to. Assigned by patient, so no patient is in two splits.
public enum Split: String, CaseIterable, Codable, Sendable {
    case train, val, test
}

/// Image-level label. `abnormal` marks a lesion of unknown pathology (the folder importer,
/// which has masks but no pathology); the others are the study's normal/benign/malignant.
public enum ImageLabel: String, CaseIterable, Codable, Sendable {
    case normal, benign, malignant, abnormal
}

/// One row of `manifest.csv`: an image, its mask and what is known about them.
/// `image` and `mask` are paths relative to the dataset root (`images/ID.png`, `masks/ID.png`).
public struct DatasetEntry: Equatable, Hashable, Sendable {
    public var id: String
    public var image: String
    public var mask: String
    public var split: Split
    public var patientID: String
    /// Where the image came from (importer and original file, e.g. `cbis-ddsm:Mass-Training_P_00001_LEFT_CC`).
    public var source: String
    public var label: ImageLabel
    /// `mass`, `calcification`, `mass+calcification`, ... or empty for normal images.
    public var lesionType: String
    /// `L`, `R` or empty when unknown.
    public var laterality: String
    /// `CC`, `MLO` or empty when unknown.
    public var view: String
    /// How the prepared image was made from its source (to map results back); nil in version 1
    /// datasets and for images made directly in the prepared grid (synthetic data).
    public var transform: PreprocessingTransform? = nil

    public init(id: String, image: String? = nil, mask: String? = nil, split: Split, patientID: String,
                source: String, label: ImageLabel, lesionType: String = "", laterality: String = "", view: String = "") {
        self.id = id
        self.image = image ?? "images/\(id).png"
        self.mask = mask ?? "masks/\(id).png"
        self.split = split; self.patientID = patientID; self.source = source; self.label = label
        self.lesionType = lesionType; self.laterality = laterality; self.view = view
    }

    /// The manifest's required columns, in the order they are written.
    public static let columns = ["id", "image", "mask", "split", "patient_id", "source", "label",
                                 "lesion_type", "laterality", "view"]

    var fields: [String] {
        [id, image, mask, split.rawValue, patientID, source, label.rawValue, lesionType, laterality, view]
            + TransformColumns.fields(transform)
    }

    /// Whether `id` is safe as a file name: letters, digits, `-`, `_`, `.` (not leading).
    public static func isValidID(_ id: String) -> Bool {
        guard let first = id.unicodeScalars.first, first != "." else { return false }
        return id.unicodeScalars.allSatisfy(isIDCharacter)
    }

    /// Turns any name into a valid id by replacing other characters with `_`.
    public static func sanitizedID(_ name: String) -> String {
        let mapped = String(name.unicodeScalars.map { isIDCharacter($0) ? Character($0) : "_" })
        return mapped.hasPrefix(".") ? "_" + mapped.dropFirst() : (mapped.isEmpty ? "_" : mapped)
    }

    private static func isIDCharacter(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar) || "-_.".unicodeScalars.contains(scalar)
    }
}
