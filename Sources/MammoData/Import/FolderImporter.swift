import Foundation

/// Imports a plain folder of images and a folder of masks (`mammoseg import folder`).
///
/// - Images: PNG, DICOM or PGM (by content), recursively. Masks are matched by file stem
///   (`a.dcm` ↔ `a.png`, also `a_mask.png` / `a-mask.png`); an image without a mask is normal.
///   Images sharing a stem (the NBIA retriever's `1-1.dcm` per folder) take their id from the
///   path and match only a mask at the same relative path.
/// - A mask is any image whose non-zero pixels mark the lesion, in its image's orientation; a
///   mask of another size is resized (nearest) when the aspect matches within 1 %, else skipped.
/// - Label `abnormal` for a non-empty mask (the pathology is unknown), else `normal`.
/// - Patient (`PatientRule`): by default a `P_NNNNN` token of the file name, else the DICOM
///   PatientID reduced to the woman (`PatientKey.reduce`: CBIS-DDSM's PatientID names the view),
///   else the stem; or a DICOM attribute (`--patient-tag`), or a regex over the path (`--patient-pattern`).
/// - Laterality and view: the header (ImageLaterality/Laterality, ViewPosition, ViewCodeSequence),
///   else the PatientID (`…_LEFT_CC`), else the path (`_L_CC`, `LEFT_MLO`, `_R_ML_`); laterality
///   last from the image (the side the breast is on).
/// - Splits by patient with the seeded assignment.
public struct FolderImporter: Sendable {
    public var images: String
    public var masks: String?
    public var options: ImportOptions
    public var patientRule: PatientRule

    /// Where the patient (the grouping key of the split) comes from.
    public enum PatientRule: Sendable, Equatable {
        /// A `P_NNNNN` token of the file name, else the reduced DICOM PatientID, else the file stem.
        case automatic
        /// A DICOM attribute, by keyword (`PatientID`, `StudyInstanceUID`, …) or `gggg,eeee`; reduced like PatientID.
        case tag(String)
        /// A regular expression with one capture group, searched in the path relative to the images folder.
        case pattern(String)

        var recorded: String {
            switch self {
            case .automatic: return "automatic (P_ token of the name, else reduced PatientID, else file stem)"
            case .tag(let name): return "DICOM attribute \(name)"
            case .pattern(let pattern): return "path pattern \(pattern)"
            }
        }
    }

    public init(images: String, masks: String?, options: ImportOptions = ImportOptions(), patientRule: PatientRule = .automatic) {
        self.images = images; self.masks = masks; self.options = options; self.patientRule = patientRule
    }

    /// An image to import: its id, file and woman (the pixels are read only when it is written).
    private struct Candidate {
        var id: String, path: String, patientID: String
    }

    /// The patient of one image by `patientRule`; nil (with the reason) when the rule finds none.
    private func patient(of path: String, header: DICOMHeader?, id: String,
                         pattern: NSRegularExpression?, tag: DICOMTag?) -> (String?, String) {
        switch patientRule {
        case .pattern(let text):
            let found = pattern.flatMap { PatientKey.capture($0, in: Self.relative(path, to: images)) }
            return (found.map(DatasetEntry.sanitizedID), "--patient-pattern '\(text)' does not match \(Self.relative(path, to: images))")
        case .tag(let name):
            guard let header else { return (nil, "not a DICOM file, so it has no \(name)") }
            let found = tag.flatMap(header.string).map { DatasetEntry.sanitizedID(PatientKey.reduce($0)) }
            return (found, "the header has no \(name)")
        case .automatic:
            let fromHeader = header?.string(.patientID).map { DatasetEntry.sanitizedID(PatientKey.reduce($0)) }
            return (CBISDDSMImporter.patientToken(in: Self.stem(path)) ?? fromHeader ?? id, "")
        }
    }

    @discardableResult
    public func run(into output: String, log: ImportLog) throws -> [DatasetEntry] {
        let imageFiles = try SourceImage.files(under: images)
        guard !imageFiles.isEmpty else {
            throw DataError(file: images, "no PNG, DICOM or PGM images; give the folder holding them with --images")
        }
        var maskByStem: [String: String] = [:], maskByRelativeStem: [String: String] = [:]
        if let masks {
            let maskFiles = try SourceImage.files(under: masks)
            for path in maskFiles {
                maskByStem[Self.stem(path)] = path
                maskByRelativeStem[(Self.relative(path, to: masks) as NSString).deletingPathExtension] = path
            }
            // `a_mask.png` serves image `a` unless a mask named exactly `a` exists.
            for path in maskFiles {
                let stem = Self.stem(path)
                for suffix in ["_mask", "-mask", "_MASK", "-MASK"] where stem.hasSuffix(suffix) {
                    let base = String(stem.dropLast(suffix.count))
                    if maskByStem[base] == nil { maskByStem[base] = path }
                }
            }
        }

        var pattern: NSRegularExpression?, tag: DICOMTag?
        if case .pattern(let text) = patientRule { pattern = try PatientKey.compile(pattern: text) }
        if case .tag(let name) = patientRule {
            guard let known = DICOMHeader.tag(named: name) else {
                throw DataError(file: "--patient-tag", "'\(name)' is neither a known keyword (\(DICOMHeader.keywords.keys.sorted().joined(separator: ", "))) nor a tag like 0010,0020; name the attribute that identifies the woman")
            }
            tag = known
        }

        // Read headers first (not pixels: an archive of full-field images does not fit in memory):
        // the patient of a DICOM image is in its header, and splits need every patient.
        var candidates: [Candidate] = []
        var usedIDs = Set<String>()
        log.begin(total: imageFiles.count)
        // The NBIA retriever names every file `1-1.dcm` in its own folder: a stem shared by several
        // images gives ids from the path under --images instead.
        var stemCounts: [String: Int] = [:]
        for path in imageFiles { stemCounts[Self.stem(path), default: 0] += 1 }
        for path in imageFiles {
            let relativeStem = (Self.relative(path, to: images) as NSString).deletingPathExtension
            let id = DatasetEntry.sanitizedID(stemCounts[Self.stem(path)]! > 1 ? relativeStem : Self.stem(path))
            guard usedIDs.insert(id).inserted else {
                log.skip(path, reason: "duplicate name", detail: "another image already has the id \(id)")
                log.advance(); continue
            }
            do {
                let header = try SourceImage.header(of: path)
                let (patient, whyNot) = self.patient(of: path, header: header, id: id, pattern: pattern, tag: tag)
                guard let patient else {
                    log.skip(path, reason: "no patient", detail: whyNot)
                    log.advance(); continue
                }
                candidates.append(Candidate(id: id, path: path, patientID: patient))
            } catch {
                log.skip(path, reason: "unreadable image", detail: "\(error)")
                log.advance()
            }
        }
        guard !candidates.isEmpty else {
            throw DataError(file: images, "none of the \(imageFiles.count) image(s) could be imported (the lines above say why)")
        }
        let splits = PatientSplit.assign(patients: candidates.map(\.patientID), valFraction: options.valFraction,
                                         testFraction: options.testFraction, seed: options.seed)
        let writer = try DatasetWriter(root: output, overwrite: options.overwrite)
        var written = 0
        for candidate in candidates {
            defer { log.advance() }
            let source: SourceImage
            do { source = try SourceImage.read(candidate.path, intensity: options.intensity) } catch {
                log.skip(candidate.path, reason: "unreadable image", detail: "\(error)")
                continue
            }
            let image = source.image
            var mask = GrayImage(width: image.width, height: image.height, bitDepth: 8)
            // A shared stem only matches a mask at the same relative path (a mirrored masks tree).
            let maskPath = stemCounts[Self.stem(candidate.path)]! > 1
                ? maskByRelativeStem[(Self.relative(candidate.path, to: images) as NSString).deletingPathExtension]
                : maskByStem[Self.stem(candidate.path)]
            if let maskPath {
                let loaded: GrayImage
                do { loaded = try ImageFile.readGray(maskPath) } catch {
                    log.skip(candidate.path, reason: "unreadable mask", detail: "\(error)")
                    continue
                }
                if loaded.width != image.width || loaded.height != image.height {
                    guard Resampling.aspectMatches((loaded.width, loaded.height), (image.width, image.height)) else {
                        log.skip(candidate.path, reason: "mask aspect mismatch", detail: "mask \(maskPath) is \(loaded.width)x\(loaded.height), image is \(image.width)x\(image.height)")
                        continue
                    }
                    log.note("\(candidate.id): mask \(maskPath) resized from \(loaded.width)x\(loaded.height) to \(image.width)x\(image.height) (same aspect)")
                }
                mask = Resampling.nearest(loaded, width: image.width, height: image.height).binaryMask()
            }
            // Header, then the (per-view) PatientID, then the path; laterality last from the image.
            let name = Self.relative(candidate.path, to: images)
            let headerID = source.patientID ?? ""
            let laterality = source.statedLaterality(name: name)
                ?? (Orientation.rightHalfIsBrighter(image) ? .right : .left)
            let view = [source.view ?? "", Orientation.view(fromName: headerID), Orientation.view(fromName: name)]
                .first { !$0.isEmpty } ?? ""
            let prepared: ImagePreparation.Result
            do {
                prepared = try ImagePreparation.prepare(image: image, mask: mask, laterality: laterality, options: options,
                                                        pixelSpacing: source.pixelSpacing, file: candidate.path)
            } catch let error as DataError {
                log.skip(candidate.path, reason: "not prepared", detail: error.reason)
                continue
            }
            let entry = DatasetEntry(id: candidate.id, split: splits[candidate.patientID]!, patientID: candidate.patientID,
                                     source: "folder:\(candidate.path)", label: mask.hasForeground ? .abnormal : .normal,
                                     lesionType: mask.hasForeground ? "lesion" : "", laterality: laterality.rawValue,
                                     view: view)
            try writer.add(entry, prepared: prepared)
            written += 1
        }
        log.finish()
        guard written > 0 else {
            throw DataError(file: images, "none of the \(imageFiles.count) image(s) could be imported (the lines above say why)")
        }
        var provenance = options.provenance(importer: "folder", sources: [images] + (masks.map { [$0] } ?? []), skipped: log.skipped)
        provenance.options["patient"] = patientRule.recorded
        return try writer.finish(provenance: provenance)
    }

    /// `path` relative to `folder` (the images folder), or `path` when it is not inside it.
    static func relative(_ path: String, to folder: String) -> String {
        let prefix = folder.hasSuffix("/") ? folder : folder + "/"
        return path.hasPrefix(prefix) ? String(path.dropFirst(prefix.count)) : path
    }

    static func stem(_ path: String) -> String {
        ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    }
}
