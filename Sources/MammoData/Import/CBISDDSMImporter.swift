import Dispatch
import Foundation

/// Imports CBIS-DDSM (`mammoseg import cbis-ddsm`).
///
/// - Reads every `*case_description*.csv` under the root (mass and calc, train and test).
/// - Finds each abnormality's full image by case folder + SeriesInstanceUID, and its ROI mask
///   among all files of the abnormality's folder BY CONTENT (8-bit values {0, 255}, about the
///   full image's size), never trusting the file name or the CSV column (they swap).
/// - Unions the masks of several abnormalities on one image; label = malignant if any is.
/// - A mask of another size is resized (nearest) when its aspect matches within 1 %; otherwise
///   the image is skipped and logged (a partial mask would teach false negatives).
/// - Keeps the official train/test split, carves val from train by patient (P_xxxxx), and
///   refuses to write a dataset where a patient is in two splits.
/// - `normals`: an optional folder of normal images (any format `SourceImage` reads).
public struct CBISDDSMImporter: Sendable {
    public var root: String
    public var normals: String?
    public var options: ImportOptions

    public init(root: String, normals: String? = nil, options: ImportOptions = ImportOptions()) {
        self.root = root; self.normals = normals; self.options = options
    }

    /// One image to import: its case folder and the abnormalities drawn on it.
    private struct ImageCase {
        var folder: String
        var abnormalities: [CBISAbnormality]
        var patientID: String { abnormalities[0].patientID }
    }

    @discardableResult
    public func run(into output: String, log: ImportLog) throws -> [DatasetEntry] {
        let index = try CBISArchiveIndex(root: root)
        let rows = try descriptionFiles().flatMap(CBISDescriptionTable.read)
        guard !rows.isEmpty else {
            throw DataError(file: root, "no description CSV rows found (mass_case_description_*.csv, calc_case_description_*.csv); give the folder holding them with --root")
        }
        var cases: [String: ImageCase] = [:]
        for row in rows { cases[row.imageFolder, default: ImageCase(folder: row.imageFolder, abnormalities: [])].abnormalities.append(row) }
        let ordered = cases.values.sorted { $0.folder < $1.folder }

        // Splits: official per patient; a patient listed in train and test is an error in the source.
        var official: [String: (Split, String)] = [:]
        for imageCase in ordered {
            for row in imageCase.abnormalities {
                if let (split, where_) = official[row.patientID], split != row.split {
                    throw DataError(file: row.file, "line \(row.line): patient \(row.patientID) is in the official \(row.split.rawValue) set here and in \(split.rawValue) at \(where_); the CSVs disagree, fix or remove one")
                }
                official[row.patientID] = (row.split, "\((row.file as NSString).lastPathComponent) line \(row.line)")
            }
        }
        let trainPatients = official.filter { $0.value.0 == .train }.map(\.key)
        let validation = PatientSplit.carveValidation(from: trainPatients, fraction: options.valFraction, seed: options.seed)
        func split(of patient: String) -> Split {
            guard let (split, _) = official[patient] else { return .train }
            return split == .train && validation.contains(patient) ? .val : split
        }

        let normalFiles = try normals.map(SourceImage.files(under:)) ?? []
        let writer = try DatasetWriter(root: output, overwrite: options.overwrite)
        log.begin(total: ordered.count + normalFiles.count)
        let failures = FirstError()
        DispatchQueue.concurrentPerform(iterations: ordered.count) { position in
            guard !failures.isSet else { return }
            do {
                try importCase(ordered[position], split: split(of: ordered[position].patientID), index: index, writer: writer, log: log)
            } catch {
                failures.set(error)
            }
            log.advance()
        }
        if let error = failures.error { throw error }

        // Normals: a patient already in the archive keeps its split; others are assigned by seed.
        let normalPatients = normalFiles.map { Self.patientID(fromName: ($0 as NSString).lastPathComponent) }
        let normalSplits = PatientSplit.assign(patients: normalPatients.filter { official[$0] == nil },
                                               valFraction: options.valFraction, testFraction: options.testFraction, seed: options.seed)
        for (file, patient) in zip(normalFiles, normalPatients) {
            defer { log.advance() }
            let source: SourceImage
            do { source = try SourceImage.read(file, intensity: options.intensity) } catch {
                log.skip(file, reason: "unreadable normal image", detail: "\(error)")
                continue
            }
            let name = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
            let laterality = Orientation.laterality(fromName: name) ?? source.laterality
            let prepared: ImagePreparation.Result
            do {
                prepared = try ImagePreparation.prepare(image: source.image, mask: GrayImage(width: source.image.width, height: source.image.height, bitDepth: 8),
                                                        laterality: laterality, options: options, pixelSpacing: source.pixelSpacing, file: file)
            } catch let error as DataError {
                log.skip(file, reason: "not prepared", detail: error.reason)
                continue
            }
            let entry = DatasetEntry(id: DatasetEntry.sanitizedID("Normal_" + name), split: normalSplits[patient] ?? split(of: patient),
                                     patientID: patient, source: "cbis-ddsm-normals:\(file)", label: .normal,
                                     laterality: laterality?.rawValue ?? "", view: source.view ?? Orientation.view(fromName: name))
            try writer.add(entry, prepared: prepared)
        }
        log.finish()

        var provenance = options.provenance(importer: "cbis-ddsm", sources: [root] + (normals.map { [$0] } ?? []), skipped: log.skipped)
        provenance.options["split"] = "official train/test; val carved from train by patient"
        return try writer.finish(provenance: provenance)
    }

    /// `P_00001` from a name that holds one, else the name's stem.
    static func patientID(fromName name: String) -> String {
        patientToken(in: name) ?? DatasetEntry.sanitizedID((name as NSString).deletingPathExtension)
    }

    /// The DDSM patient token `P_NNNNN` in a name, if any.
    static func patientToken(in name: String) -> String? {
        name.range(of: #"P_\d{5}"#, options: .regularExpression).map { String(name[$0]) }
    }

    private func descriptionFiles() throws -> [String] {
        guard let walker = FileManager.default.enumerator(atPath: root) else {
            throw DataError(file: root, "cannot list the folder; give the CBIS-DDSM download folder with --root")
        }
        var files: [String] = []
        while let relative = walker.nextObject() as? String {
            let name = (relative as NSString).lastPathComponent.lowercased()
            if name.hasSuffix(".csv") && name.contains("description") {
                files.append((root as NSString).appendingPathComponent(relative))
            }
        }
        return files.sorted()
    }

    private func importCase(_ imageCase: ImageCase, split: Split, index: CBISArchiveIndex,
                            writer: DatasetWriter, log: ImportLog) throws {
        let first = imageCase.abnormalities[0]
        let fullCandidates = index.files(caseFolder: imageCase.folder, seriesUID: first.imagePath.count > 2 ? first.imagePath[2] : nil)
        guard !fullCandidates.isEmpty else {
            log.skip(imageCase.folder, reason: "full image not found", detail: "no DICOM file under a folder named \(imageCase.folder)")
            return
        }
        // The full image is the largest file of its series.
        var full: DICOMFile?
        for candidate in fullCandidates {
            guard let file = try? DICOMFile(path: candidate.path) else { continue }
            if full == nil || file.rows * file.columns > full!.rows * full!.columns { full = file }
        }
        guard let full else {
            log.skip(imageCase.folder, reason: "full image unreadable", detail: "no readable DICOM among \(fullCandidates.count) file(s)")
            return
        }
        let image: GrayImage
        do { image = try ImagePreparation.image(of: full, options: options) } catch let error as DataError {
            log.skip(full.path, reason: "unreadable image", detail: error.reason)
            return
        }
        var mask = GrayImage(width: image.width, height: image.height, bitDepth: 8)
        for abnormality in imageCase.abnormalities {
            let folders = Set([abnormality.maskPath.first, abnormality.cropPath.first].compactMap { $0 })
            let candidates = folders.sorted().flatMap { index.files(caseFolder: $0, seriesUID: nil) }
            guard let roi = Self.chooseMask(candidates, fullWidth: image.width, fullHeight: image.height) else {
                log.skip(imageCase.folder, reason: "no ROI mask", detail: "abnormality \(abnormality.abnormalityID): none of \(candidates.count) file(s) in \(folders.sorted().joined(separator: ", ")) is an 8-bit {0,255} image near the full image's size")
                return
            }
            var roiMask = roi.mask
            if roiMask.width != image.width || roiMask.height != image.height {
                guard Resampling.aspectMatches((roiMask.width, roiMask.height), (image.width, image.height)) else {
                    log.skip(imageCase.folder, reason: "mask aspect mismatch", detail: "abnormality \(abnormality.abnormalityID): mask \(roi.path) is \(roiMask.width)x\(roiMask.height), image is \(image.width)x\(image.height)")
                    return
                }
                log.note("\(imageCase.folder): mask \(roi.path) resized from \(roiMask.width)x\(roiMask.height) to \(image.width)x\(image.height) (same aspect)")
                roiMask = Resampling.nearest(roiMask, width: image.width, height: image.height)
            }
            for i in 0..<mask.pixels.count where roiMask.pixels[i] != 0 { mask.pixels[i] = 255 }
        }

        let laterality = first.laterality ?? Orientation.laterality(fromName: imageCase.folder)
            ?? full.laterality.flatMap(Orientation.Laterality.init(code:))
        let prepared: ImagePreparation.Result
        do {
            prepared = try ImagePreparation.prepare(image: image, mask: mask, laterality: laterality, options: options,
                                                    pixelSpacing: full.meanPixelSpacing, file: full.path)
        } catch let error as DataError {
            log.skip(full.path, reason: "not prepared", detail: error.reason)
            return
        }
        let kinds = Set(imageCase.abnormalities.map(\.kind.rawValue)).sorted().joined(separator: "+")
        let entry = DatasetEntry(
            id: DatasetEntry.sanitizedID(imageCase.folder), split: split, patientID: imageCase.patientID,
            source: "cbis-ddsm:\(imageCase.folder)",
            label: imageCase.abnormalities.contains(where: \.isMalignant) ? .malignant : .benign,
            lesionType: kinds, laterality: laterality?.rawValue ?? "", view: first.view)
        try writer.add(entry, prepared: prepared)
    }

    /// The ROI mask among an abnormality's files, by content: only the values 0 and 255 (with
    /// some 255), 8 bits allocated or a maximum of 255, and at least a quarter of the full image's
    /// area (crops are small). The largest qualifying file wins.
    static func chooseMask(_ candidates: [CBISArchiveIndex.File], fullWidth: Int, fullHeight: Int) -> (path: String, mask: GrayImage)? {
        var best: (path: String, mask: GrayImage)?
        for candidate in candidates {
            guard let file = try? DICOMFile(path: candidate.path) else { continue }
            guard file.rows * file.columns * 4 >= fullWidth * fullHeight else { continue }
            var sawForeground = false
            let binary = file.storedValues.allSatisfy { value in
                if value == 255 { sawForeground = true; return true }
                return value == 0
            }
            guard binary, sawForeground else { continue }
            let mask = GrayImage(width: file.columns, height: file.rows, bitDepth: 8,
                                 pixels: file.storedValues.map { $0 == 0 ? 0 : 255 })
            if best == nil || mask.pixels.count > best!.mask.pixels.count { best = (candidate.path, mask) }
        }
        return best
    }
}
