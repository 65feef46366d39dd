import Dispatch
import Foundation

/// Imports INbreast (`mammoseg import inbreast`): `AllDICOMs/<id>_<hash>_MG_<L|R>_<CC|ML>_ANON.dcm`,
/// `AllXML/<id>.xml` (OsiriX ROI contours) and `INbreast.csv` (`;`-separated: Patient ID,
/// Laterality, View, File Name, ACR, Bi-Rads, …).
///
/// - Masks: each mass or calcification ROI contour filled (even–odd), one- and two-point ROIs
///   (single calcifications) as small discs (`INbreastAnnotation`); other ROIs (asymmetry,
///   distortion, …) only with `includeOtherFindings`, as their own lesion type.
/// - Label: INbreast has no pathology, so the label is a BI-RADS proxy (`BIRADS`): 1 normal,
///   2–3 benign, 4–6 malignant. An image with findings (BI-RADS ≥ 2) but no drawable ROI is
///   skipped and logged: an empty mask would teach the lesion as normal tissue.
/// - Patient: the CSV's `Patient ID` where it holds one (the public CSV often says `removed`),
///   else the `<hash>` token of the file name, which the images of one woman share (the
///   leading `<id>` is per image and would split a woman across splits), else the DICOM PatientID.
/// - No official split: patients are assigned to train/val/test with the seed.
public struct INbreastImporter: Sendable {
    public var root: String
    public var options: ImportOptions
    public var includeOtherFindings: Bool

    public init(root: String, options: ImportOptions = ImportOptions(), includeOtherFindings: Bool = false) {
        self.root = root; self.options = options; self.includeOtherFindings = includeOtherFindings
    }

    /// One CSV row: what INbreast says about an image.
    struct Row {
        var fileID: String, patientID: String?, laterality: String, view: String, birads: BIRADS, line: Int
    }

    private struct ImageCase {
        var fileID: String, path: String, row: Row, xml: String?, patientID: String
    }

    @discardableResult
    public func run(into output: String, log: ImportLog) throws -> [DatasetEntry] {
        guard let csv = ArchiveFiles.find("INbreast.csv", under: root) else {
            throw DataError(file: root, "no INbreast.csv; give the INbreast folder (INbreast.csv, AllDICOMs/, AllXML/) with --root (export INbreast.xls as ';'-separated CSV if you only have that)")
        }
        let rows = try Self.readTable(csv)
        let dicoms = try ArchiveFiles.files(under: root, extensions: ["dcm"])
        guard !dicoms.isEmpty else { throw DataError(file: root, "no .dcm files; INbreast's images are in AllDICOMs/") }
        var xmlByID: [String: String] = [:]
        for path in try ArchiveFiles.files(under: root, extensions: ["xml"]) { xmlByID[ArchiveFiles.stem(path)] = path }

        var cases: [ImageCase] = []
        var seen = Set<String>()
        for path in dicoms {
            let fileID = Self.fileID(of: path)
            guard let row = rows[fileID] else {
                log.skip(path, reason: "not in INbreast.csv", detail: "no row with File Name \(fileID), so no BI-RADS")
                continue
            }
            seen.insert(fileID)
            let patient = row.patientID ?? Self.caseToken(of: path)
                ?? (try? DICOMHeader(path: path))?.string(.patientID).map { PatientKey.reduce($0) } ?? fileID
            cases.append(ImageCase(fileID: fileID, path: path, row: row, xml: xmlByID[fileID],
                                   patientID: DatasetEntry.sanitizedID(patient)))
        }
        for (fileID, row) in rows.sorted(by: { $0.value.line < $1.value.line }) where !seen.contains(fileID) {
            log.skip("\(csv) line \(row.line)", reason: "image missing", detail: "no \(fileID)_*.dcm under \(root)")
        }
        let splits = PatientSplit.assign(patients: cases.map(\.patientID), valFraction: options.valFraction,
                                         testFraction: options.testFraction, seed: options.seed)
        let writer = try DatasetWriter(root: output, overwrite: options.overwrite)
        log.begin(total: cases.count)
        let failures = FirstError()
        DispatchQueue.concurrentPerform(iterations: cases.count) { index in
            guard !failures.isSet else { return }
            do { try importImage(cases[index], split: splits[cases[index].patientID]!, writer: writer, log: log) } catch {
                failures.set(error)
            }
            log.advance()
        }
        if let error = failures.error { throw error }
        log.finish()
        var provenance = options.provenance(importer: "inbreast", sources: [root], skipped: log.skipped)
        provenance.options["label"] = "BI-RADS proxy (INbreast has no pathology): 1 normal, 2-3 benign, 4-6 malignant"
        provenance.options["patient"] = "CSV Patient ID when given, else the <hash> token of the file name (shared by a woman's images)"
        provenance.options["include_other_findings"] = "\(includeOtherFindings)"
        return try writer.finish(provenance: provenance)
    }

    private func importImage(_ item: ImageCase, split: Split, writer: DatasetWriter, log: ImportLog) throws {
        guard let label = item.row.birads.label else {
            log.skip(item.path, reason: "BI-RADS 0", detail: "INbreast.csv line \(item.row.line) gives BI-RADS 0 (incomplete), no label")
            return
        }
        let file: DICOMFile
        do { file = try DICOMFile(path: item.path) } catch {
            log.skip(item.path, reason: "unreadable image", detail: "\(error)")
            return
        }
        let image: GrayImage
        do { image = try ImagePreparation.image(of: file, options: options) } catch let error as DataError {
            log.skip(item.path, reason: "unreadable image", detail: error.reason)
            return
        }
        var mask = GrayImage(width: image.width, height: image.height, bitDepth: 8)
        var categories = Set<FindingCategory>()
        if let xml = item.xml {
            let annotation = try INbreastAnnotation.read(xml)
            for roi in annotation.rois {
                let category = FindingCategory(name: roi.name) ?? .other("unnamed")
                guard category.isLesion || includeOtherFindings else {
                    log.note("\(xml) line \(roi.line): ROI '\(roi.name)' is not a mass or calcification; left out (--include-other-findings keeps it)")
                    continue
                }
                guard !roi.points.isEmpty else {
                    log.note("\(xml) line \(roi.line): ROI '\(roi.name)' has no points; left out")
                    continue
                }
                INbreastAnnotation.draw(roi, into: &mask)
                categories.insert(category)
            }
        }
        let hasLesion = mask.hasForeground
        if !hasLesion && label != .normal {
            let why = item.xml.map { "\($0) has no mass or calcification contour" } ?? "no AllXML/\(item.fileID).xml"
            log.skip(item.path, reason: "findings without contours", detail: "BI-RADS \(item.row.birads.category) but \(why); skipped, an empty mask would call the lesion normal")
            return
        }
        var imageLabel = label
        if hasLesion && label == .normal {
            log.note("\(item.path): BI-RADS 1 but contours in \(item.xml ?? ""); labelled benign")
            imageLabel = .benign
        }
        let name = (item.path as NSString).lastPathComponent
        let laterality = Orientation.laterality(fromName: name) ?? Orientation.Laterality(code: item.row.laterality)
            ?? file.laterality.flatMap(Orientation.Laterality.init(code:))
            ?? (Orientation.rightHalfIsBrighter(image) ? .right : .left)
        let view = [Orientation.view(fromName: name), item.row.view.uppercased(), file.viewPosition?.uppercased() ?? ""]
            .first { !$0.isEmpty } ?? ""
        let prepared: ImagePreparation.Result
        do {
            prepared = try ImagePreparation.prepare(image: image, mask: mask, laterality: laterality, options: options,
                                                    pixelSpacing: file.meanPixelSpacing, file: item.path)
        } catch let error as DataError {
            log.skip(item.path, reason: "not prepared", detail: error.reason)
            return
        }
        let entry = DatasetEntry(id: DatasetEntry.sanitizedID("INbreast_" + item.fileID), split: split, patientID: item.patientID,
                                 source: "inbreast:\(name)", label: imageLabel,
                                 lesionType: FindingCategory.lesionType(categories, boxes: false),
                                 laterality: laterality.rawValue, view: view)
        try writer.add(entry, prepared: prepared)
    }

    /// The leading `<id>` of `<id>_<hash>_MG_R_CC_ANON.dcm`, which `File Name` and `AllXML/<id>.xml` use.
    static func fileID(of path: String) -> String {
        String(ArchiveFiles.stem(path).split(separator: "_").first ?? "")
    }

    /// The `<hash>` token (hexadecimal, 8+ characters) that a woman's images share.
    static func caseToken(of path: String) -> String? {
        let tokens = ArchiveFiles.stem(path).split(separator: "_")
        guard tokens.count >= 2, tokens[1].count >= 8, tokens[1].allSatisfy(\.isHexDigit) else { return nil }
        return String(tokens[1])
    }

    /// INbreast.csv by File Name. A malformed row (no File Name, an unreadable BI-RADS) is an error
    /// naming its line; a Patient ID of `removed`, `-` or empty counts as absent.
    static func readTable(_ path: String) throws -> [String: Row] {
        let table = try CSVTable(file: path, separator: ";", required: ["File Name", "Bi-Rads"], what: "INbreast.csv")
        var rows: [String: Row] = [:]
        for row in table.rows {
            var fileID = try row.value("File Name")
            if fileID.hasSuffix(".0") { fileID.removeLast(2) }  // spreadsheets write 20586908 as 20586908.0
            guard !fileID.isEmpty else { throw row.error("File Name", "empty") }
            let biradsText = try row.value("Bi-Rads")
            guard let birads = BIRADS(biradsText) else {
                throw row.error("Bi-Rads", "'\(biradsText)' is not a BI-RADS category (0-6, e.g. 4a)")
            }
            if let earlier = rows[fileID] {
                throw row.error("File Name", "\(fileID) is also on line \(earlier.line)")
            }
            let patient = try row.optional("Patient ID").flatMap { ["", "-", "removed"].contains($0.lowercased()) ? nil : $0 }
            rows[fileID] = Row(fileID: fileID, patientID: patient, laterality: try row.optional("Laterality") ?? "",
                               view: try row.optional("View") ?? "", birads: birads, line: row.line)
        }
        return rows
    }
}
