import Dispatch
import Foundation

/// Imports VinDr-Mammo (`mammoseg import vindr`): `images/<study_id>/<image_id>.dicom`,
/// `breast-level_annotations.csv` (one row per image: laterality, view_position, height, width,
/// breast_birads, split) and `finding_annotations.csv` (one row per finding: finding_categories
/// as a Python list string, xmin/ymin/xmax/ymax, empty for "No Finding").
///
/// - VinDr-Mammo has bounding boxes only, so masks are the boxes filled, and every lesion type
///   ends in `-box` (`mass-box`, `calcification-box+mass-box`); dataset.json says so too.
/// - Masses and (suspicious) calcifications are lesions; other findings (asymmetry,
///   architectural distortion, …) get their own type and are drawn only with
///   `includeOtherFindings`; an image whose only findings are left out is skipped and logged.
/// - Label: a BI-RADS proxy (breast_birads; no pathology): 1 normal, 2–3 benign, 4–5 malignant.
/// - The official training/test split is kept; validation is carved from training by study,
///   the patient proxy (VinDr-Mammo gives no patient id; one study is one woman's exam).
/// - A finding row of a lesion without a box is logged and its image skipped; a malformed row
///   (bad number, unknown split) is an error naming its file and line.
public struct VinDrImporter: Sendable {
    public var root: String
    public var options: ImportOptions
    public var includeOtherFindings: Bool

    public init(root: String, options: ImportOptions = ImportOptions(), includeOtherFindings: Bool = false) {
        self.root = root; self.options = options; self.includeOtherFindings = includeOtherFindings
    }

    struct Breast {
        var studyID: String, imageID: String, laterality: String, view: String
        var height: Double?, width: Double?, birads: BIRADS, split: Split, line: Int
    }

    struct Finding {
        var categories: Set<FindingCategory>
        /// xmin, ymin, xmax, ymax in the image's pixels; nil for a row without a box.
        var box: (Double, Double, Double, Double)?
        var file: String, line: Int
    }

    @discardableResult
    public func run(into output: String, log: ImportLog) throws -> [DatasetEntry] {
        guard let breastCSV = ArchiveFiles.find("breast-level_annotations.csv", under: root) else {
            throw DataError(file: root, "no breast-level_annotations.csv; give the VinDr-Mammo folder (images/, breast-level_annotations.csv, finding_annotations.csv) with --root")
        }
        guard let findingCSV = ArchiveFiles.find("finding_annotations.csv", under: root) else {
            throw DataError(file: root, "no finding_annotations.csv next to \(breastCSV); the archive is incomplete")
        }
        let breasts = try Self.readBreasts(breastCSV)
        let findings = try Self.readFindings(findingCSV)
        var images: [String: String] = [:]
        for path in try ArchiveFiles.files(under: root, extensions: ["dicom", "dcm"]) {
            images[(((path as NSString).deletingLastPathComponent as NSString).lastPathComponent) + "/" + ArchiveFiles.stem(path)] = path
        }
        let known = Set(breasts.map(\.imageID))
        for (imageID, rows) in findings.sorted(by: { $0.key < $1.key }) where !known.contains(imageID) {
            log.note("\(findingCSV) line \(rows[0].line): image \(imageID) is not in \(breastCSV); its findings are ignored")
        }

        // Official split by study; a study in both is an error in the source.
        var splitOfStudy: [String: Breast] = [:]
        for breast in breasts {
            if let first = splitOfStudy[breast.studyID], first.split != breast.split {
                throw DataError(file: breastCSV, "line \(breast.line): study \(breast.studyID) is in the \(breast.split.rawValue) split here and in \(first.split.rawValue) on line \(first.line); fix the split column")
            }
            splitOfStudy[breast.studyID] = splitOfStudy[breast.studyID] ?? breast
        }
        let validation = PatientSplit.carveValidation(from: splitOfStudy.filter { $0.value.split == .train }.keys,
                                                      fraction: options.valFraction, seed: options.seed)

        let writer = try DatasetWriter(root: output, overwrite: options.overwrite)
        log.begin(total: breasts.count)
        let failures = FirstError()
        DispatchQueue.concurrentPerform(iterations: breasts.count) { index in
            guard !failures.isSet else { return }
            let breast = breasts[index]
            let split: Split = breast.split == .train && validation.contains(breast.studyID) ? .val : breast.split
            do {
                try importImage(breast, split: split, path: images[breast.studyID + "/" + breast.imageID],
                                findings: findings[breast.imageID] ?? [], writer: writer, log: log)
            } catch {
                failures.set(error)
            }
            log.advance()
        }
        if let error = failures.error { throw error }
        log.finish()
        var provenance = options.provenance(importer: "vindr-mammo", sources: [root], skipped: log.skipped)
        provenance.options["masks"] = "bounding boxes filled (VinDr-Mammo has no outlines); lesion types end in -box"
        provenance.options["label"] = "BI-RADS proxy (no pathology): 1 normal, 2-3 benign, 4-5 malignant"
        provenance.options["split"] = "official training/test; val carved from training by study (patient proxy)"
        provenance.options["include_other_findings"] = "\(includeOtherFindings)"
        return try writer.finish(provenance: provenance)
    }

    private func importImage(_ breast: Breast, split: Split, path: String?, findings: [Finding],
                             writer: DatasetWriter, log: ImportLog) throws {
        let item = "\(breast.studyID)/\(breast.imageID)"
        guard let label = breast.birads.label else {
            log.skip(item, reason: "BI-RADS 0", detail: "breast-level line \(breast.line) gives BI-RADS 0 (incomplete), no label")
            return
        }
        guard let path else {
            log.skip(item, reason: "image missing", detail: "no images/\(item).dicom under \(root)")
            return
        }
        let file: DICOMFile
        do { file = try DICOMFile(path: path) } catch {
            log.skip(path, reason: "unreadable image", detail: "\(error)")
            return
        }
        let image: GrayImage
        do { image = try ImagePreparation.image(of: file, options: options) } catch let error as DataError {
            log.skip(path, reason: "unreadable image", detail: error.reason)
            return
        }

        // Box coordinates are in the annotated image's pixels; a file of another size is rescaled when the aspect agrees.
        var (sx, sy) = (1.0, 1.0)
        if let height = breast.height, let width = breast.width, height > 0, width > 0,
           Int(width) != image.width || Int(height) != image.height {
            guard Resampling.aspectMatches((Int(width), Int(height)), (image.width, image.height)) else {
                log.skip(path, reason: "size mismatch", detail: "breast-level line \(breast.line) says \(Int(width))x\(Int(height)), the file is \(image.width)x\(image.height)")
                return
            }
            (sx, sy) = (Double(image.width) / width, Double(image.height) / height)
            log.note("\(path): boxes scaled from \(Int(width))x\(Int(height)) to \(image.width)x\(image.height) (same aspect)")
        }

        var mask = GrayImage(width: image.width, height: image.height, bitDepth: 8)
        var drawn = Set<FindingCategory>(), leftOut = Set<FindingCategory>()
        for finding in findings {
            let kept = finding.categories.filter { $0.isLesion || includeOtherFindings }
            leftOut.formUnion(finding.categories.subtracting(kept))
            guard !kept.isEmpty else { continue }
            guard let box = finding.box else {
                log.skip(path, reason: "finding without a box", detail: "\(finding.file) line \(finding.line): \(FindingCategory.lesionType(kept, boxes: false)) has no xmin/ymin/xmax/ymax; the image is skipped, its mask would miss the lesion")
                return
            }
            let (x0, y0, x1, y1) = box
            guard mask.fillBox(xmin: x0 * sx, ymin: y0 * sy, xmax: x1 * sx, ymax: y1 * sy) else {
                log.skip(path, reason: "box outside the image", detail: "\(finding.file) line \(finding.line): box (\(x0), \(y0))-(\(x1), \(y1)) lies outside the \(image.width)x\(image.height) image")
                return
            }
            drawn.formUnion(kept)
        }
        if drawn.isEmpty && !leftOut.isEmpty {
            log.skip(path, reason: "only other findings", detail: "\(FindingCategory.lesionType(leftOut, boxes: false)) only; pass --include-other-findings to import it")
            return
        }
        let laterality = Orientation.Laterality(code: breast.laterality) ?? file.laterality.flatMap(Orientation.Laterality.init(code:))
            ?? (Orientation.rightHalfIsBrighter(image) ? .right : .left)
        let prepared: ImagePreparation.Result
        do {
            prepared = try ImagePreparation.prepare(image: image, mask: mask, laterality: laterality, options: options,
                                                    pixelSpacing: file.meanPixelSpacing, file: path)
        } catch let error as DataError {
            log.skip(path, reason: "not prepared", detail: error.reason)
            return
        }
        let entry = DatasetEntry(id: DatasetEntry.sanitizedID("VinDr_" + breast.imageID), split: split, patientID: DatasetEntry.sanitizedID(breast.studyID),
                                 source: "vindr-mammo:\(item)", label: drawn.isEmpty ? label : (label == .normal ? .benign : label),
                                 lesionType: FindingCategory.lesionType(drawn, boxes: true),
                                 laterality: laterality.rawValue, view: breast.view.isEmpty ? (file.viewPosition?.uppercased() ?? "") : breast.view)
        try writer.add(entry, prepared: prepared)
    }

    static func readBreasts(_ path: String) throws -> [Breast] {
        let table = try CSVTable(file: path, required: ["study_id", "image_id", "laterality", "view_position", "breast_birads", "split"],
                                 what: "VinDr-Mammo breast-level_annotations.csv")
        var seen: [String: Int] = [:]
        return try table.rows.map { row in
            let imageID = try row.value("image_id")
            guard !imageID.isEmpty else { throw row.error("image_id", "empty") }
            if let line = seen[imageID] { throw row.error("image_id", "\(imageID) is also on line \(line)") }
            seen[imageID] = row.line
            let biradsText = try row.value("breast_birads")
            guard let birads = BIRADS(biradsText) else { throw row.error("breast_birads", "'\(biradsText)' is not a BI-RADS category like 'BI-RADS 2'") }
            let splitText = try row.value("split")
            let split: Split
            switch splitText.lowercased() {
            case "training", "train": split = .train
            case "test": split = .test
            default: throw row.error("split", "'\(splitText)' is neither 'training' nor 'test'")
            }
            return Breast(studyID: try row.value("study_id"), imageID: imageID, laterality: try row.value("laterality"),
                          view: try row.value("view_position").uppercased(),
                          height: try table.has("height") ? row.number("height") : nil,
                          width: try table.has("width") ? row.number("width") : nil,
                          birads: birads, split: split, line: row.line)
        }
    }

    /// Finding rows by image id.
    static func readFindings(_ path: String) throws -> [String: [Finding]] {
        let table = try CSVTable(file: path, required: ["image_id", "finding_categories", "xmin", "ymin", "xmax", "ymax"],
                                 what: "VinDr-Mammo finding_annotations.csv")
        var findings: [String: [Finding]] = [:]
        for row in table.rows {
            let categories = Set(try parseCategories(try row.value("finding_categories"), row: row).compactMap(FindingCategory.init(name:)))
            let coordinates = try ["xmin", "ymin", "xmax", "ymax"].map { try row.number($0) }
            var box: (Double, Double, Double, Double)?
            if coordinates.allSatisfy({ $0 != nil }) {
                let (x0, y0, x1, y1) = (coordinates[0]!, coordinates[1]!, coordinates[2]!, coordinates[3]!)
                guard x1 > x0, y1 > y0 else { throw row.error("xmax", "the box (\(x0), \(y0))-(\(x1), \(y1)) is empty or inverted") }
                box = (x0, y0, x1, y1)
            } else if coordinates.contains(where: { $0 != nil }) {
                throw row.error("xmin", "only some of xmin, ymin, xmax, ymax are given")
            }
            findings[try row.value("image_id"), default: []].append(Finding(categories: categories, box: box, file: path, line: row.line))
        }
        return findings
    }

    /// `['Mass', 'Suspicious Calcification']` → the names (a bare name is accepted too).
    static func parseCategories(_ text: String, row: CSVTable.Row) throws -> [String] {
        var inner = Substring(text.trimmingCharacters(in: .whitespaces))
        if inner.hasPrefix("[") {
            guard inner.hasSuffix("]") else { throw row.error("finding_categories", "'\(text)' opens a list but does not close it") }
            inner = inner.dropFirst().dropLast()
        }
        return inner.split(separator: ",").map { $0.trimmingCharacters(in: CharacterSet(charactersIn: " '\"")) }.filter { !$0.isEmpty }
    }
}
