import Foundation

/// Imports a plain folder of images and a folder of masks (`mammoseg import folder`).
///
/// - Images: PNG, DICOM or PGM (by content), recursively. Masks are matched by file stem
///   (`a.dcm` ↔ `a.png`, also `a_mask.png` / `a-mask.png`); an image without a mask is normal.
/// - A mask is any image whose non-zero pixels mark the lesion, in its image's orientation; a
///   mask of another size is resized (nearest) when the aspect matches within 1 %, else skipped.
/// - Label `abnormal` for a non-empty mask (the pathology is unknown), else `normal`.
/// - Patient: a `P_NNNNN` token of the name, else the DICOM PatientID, else the stem.
/// - Splits by patient with the seeded assignment.
public struct FolderImporter: Sendable {
    public var images: String
    public var masks: String?
    public var options: ImportOptions

    public init(images: String, masks: String?, options: ImportOptions = ImportOptions()) {
        self.images = images; self.masks = masks; self.options = options
    }

    private struct Candidate {
        var id: String, path: String, source: SourceImage, patientID: String
    }

    @discardableResult
    public func run(into output: String, log: ImportLog) throws -> [DatasetEntry] {
        let imageFiles = try SourceImage.files(under: images)
        guard !imageFiles.isEmpty else {
            throw DataError(file: images, "no PNG, DICOM or PGM images; give the folder holding them with --images")
        }
        var maskByStem: [String: String] = [:]
        if let masks {
            let maskFiles = try SourceImage.files(under: masks)
            for path in maskFiles { maskByStem[Self.stem(path)] = path }
            // `a_mask.png` serves image `a` unless a mask named exactly `a` exists.
            for path in maskFiles {
                let stem = Self.stem(path)
                for suffix in ["_mask", "-mask", "_MASK", "-MASK"] where stem.hasSuffix(suffix) {
                    let base = String(stem.dropLast(suffix.count))
                    if maskByStem[base] == nil { maskByStem[base] = path }
                }
            }
        }

        // Read headers first: the patient of a DICOM image is in its header, and splits need every patient.
        var candidates: [Candidate] = []
        var usedIDs = Set<String>()
        log.begin(total: imageFiles.count)
        for path in imageFiles {
            let id = DatasetEntry.sanitizedID(Self.stem(path))
            guard usedIDs.insert(id).inserted else {
                log.skip(path, reason: "duplicate name", detail: "another image already has the id \(id)")
                log.advance(); continue
            }
            do {
                let source = try SourceImage.read(path)
                let header = source.patientID.flatMap { $0.isEmpty ? nil : DatasetEntry.sanitizedID($0) }
                let patient = CBISDDSMImporter.patientToken(in: Self.stem(path)) ?? header ?? id
                candidates.append(Candidate(id: id, path: path, source: source, patientID: patient))
            } catch {
                log.skip(path, reason: "unreadable image", detail: "\(error)")
                log.advance()
            }
        }
        let splits = PatientSplit.assign(patients: candidates.map(\.patientID), valFraction: options.valFraction,
                                         testFraction: options.testFraction, seed: options.seed)
        let writer = try DatasetWriter(root: output, overwrite: options.overwrite)
        for candidate in candidates {
            defer { log.advance() }
            let image = candidate.source.image
            var mask = GrayImage(width: image.width, height: image.height, bitDepth: 8)
            if let maskPath = maskByStem[Self.stem(candidate.path)] {
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
            let name = (candidate.path as NSString).lastPathComponent
            let laterality = Orientation.laterality(fromName: name) ?? candidate.source.laterality
            let prepared = ImagePreparation.prepare(image: image, mask: mask, laterality: laterality, scale: options.scale)
            let entry = DatasetEntry(id: candidate.id, split: splits[candidate.patientID]!, patientID: candidate.patientID,
                                     source: "folder:\(candidate.path)", label: mask.hasForeground ? .abnormal : .normal,
                                     lesionType: mask.hasForeground ? "lesion" : "", laterality: laterality?.rawValue ?? "",
                                     view: candidate.source.view ?? Orientation.view(fromName: name))
            try writer.add(entry, image: prepared.image, mask: prepared.mask)
        }
        log.finish()
        return try writer.finish(provenance: DatasetProvenance(importer: "folder", sources: [images] + (masks.map { [$0] } ?? []),
                                                               options: options.recorded, seed: options.seed, skipped: log.skipped))
    }

    static func stem(_ path: String) -> String {
        ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    }
}
