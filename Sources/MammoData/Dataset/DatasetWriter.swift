import Foundation

/// Writes a prepared dataset: `images/ID.png` (16-bit), `masks/ID.png` (8-bit 0/255) as
/// images are added, then `manifest.csv` and `dataset.json` in `finish`. Every file is
/// written atomically (temp file + rename) and the manifest comes last, so an interrupted
/// import leaves a folder that `PreparedDataset` refuses rather than a half dataset.
///
/// `add` may be called from several threads at once (entries are kept under a lock and
/// sorted by id when the manifest is written, so the output does not depend on timing).
public final class DatasetWriter: @unchecked Sendable {
    public let root: String
    private var entries: [DatasetEntry] = []
    private let lock = NSLock()

    /// Creates `root`, `root/images` and `root/masks`. Refuses a folder that already holds a
    /// manifest unless `overwrite` is set, so a dataset is never mixed with an older one.
    public init(root: String, overwrite: Bool = false) throws {
        self.root = root
        let manifest = (root as NSString).appendingPathComponent(Manifest.fileName)
        if FileManager.default.fileExists(atPath: manifest) {
            guard overwrite else {
                throw DataError(file: root, "already holds a dataset; choose another --out folder or delete it")
            }
            try? FileManager.default.removeItem(atPath: manifest)
            for folder in ["images", "masks", PreparedDataset.confounderFolder] {
                try? FileManager.default.removeItem(atPath: (root as NSString).appendingPathComponent(folder))
            }
        }
        do {
            for folder in ["images", "masks"] {
                try FileManager.default.createDirectory(atPath: (root as NSString).appendingPathComponent(folder),
                                                        withIntermediateDirectories: true)
            }
        } catch {
            throw DataError(file: root, "cannot create the dataset folders (\(error.localizedDescription)); check the path and permissions")
        }
    }

    /// Writes the image (converted to 16 bits if needed) and the mask (any non-zero → 255)
    /// and records the entry. The mask must have the image's size.
    public func add(_ entry: DatasetEntry, image: GrayImage, mask: GrayImage) throws {
        guard DatasetEntry.isValidID(entry.id) else {
            throw DataError(file: root, "invalid image id '\(entry.id)'; use letters, digits, '-', '_', '.'")
        }
        guard image.width == mask.width, image.height == mask.height else {
            throw DataError(file: entry.source, "mask is \(mask.width)x\(mask.height) but the image is \(image.width)x\(image.height); fix the source files")
        }
        var stored = entry
        stored.image = "images/\(entry.id).png"
        stored.mask = "masks/\(entry.id).png"
        try PNG.write(image.bitDepth == 16 ? image : image.widenedTo16Bits(),
                      to: (root as NSString).appendingPathComponent(stored.image))
        try PNG.write(mask.binaryMask(), to: (root as NSString).appendingPathComponent(stored.mask))
        lock.lock(); defer { lock.unlock() }
        entries.append(stored)
    }

    /// Writes the mask of an image's mass-like normal findings to `confounders/ID.png` (synthetic
    /// data: false positives on them are counted apart). Only images with confounders get one.
    public func addConfounderMask(id: String, mask: GrayImage) throws {
        guard DatasetEntry.isValidID(id) else {
            throw DataError(file: root, "invalid image id '\(id)'; use letters, digits, '-', '_', '.'")
        }
        let folder = (root as NSString).appendingPathComponent(PreparedDataset.confounderFolder)
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        } catch {
            throw DataError(file: folder, "cannot create the folder (\(error.localizedDescription)); check permissions")
        }
        try PNG.write(mask.binaryMask(), to: (folder as NSString).appendingPathComponent("\(id).png"))
    }

    /// Adds an importer's prepared image with its lesion mask, recording its transform.
    func add(_ entry: DatasetEntry, prepared: ImagePreparation.Result) throws {
        var entry = entry
        entry.transform = prepared.transform
        try add(entry, image: prepared.image, mask: prepared.mask)
    }

    /// Checks the patient invariant, then writes `manifest.csv` and `dataset.json`.
    /// Returns the entries written, sorted by id.
    @discardableResult
    public func finish(provenance: DatasetProvenance) throws -> [DatasetEntry] {
        lock.lock(); let sorted = entries.sorted { $0.id < $1.id }; lock.unlock()
        var seen = Set<String>()
        for entry in sorted where !seen.insert(entry.id).inserted {
            throw DataError(file: root, "image id '\(entry.id)' was added twice; ids must be unique")
        }
        try PatientSplit.checkDisjoint(sorted, file: root)

        var provenance = provenance
        var counts: [String: Int] = ["images": sorted.count, "patients": Set(sorted.map(\.patientID)).count]
        for entry in sorted {
            counts[entry.split.rawValue, default: 0] += 1
            counts[entry.label.rawValue, default: 0] += 1
        }
        provenance.counts = counts
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        try AtomicWrite.write([UInt8](try encoder.encode(provenance)), to: (root as NSString).appendingPathComponent("dataset.json"),
                              what: "dataset description")
        try AtomicWrite.write(Array(Manifest.text(sorted).utf8), to: (root as NSString).appendingPathComponent(Manifest.fileName),
                              what: "manifest")
        return sorted
    }
}

extension GrayImage {
    /// An 8-bit image scaled to 16 bits exactly (v · 257 maps 255 to 65535).
    public func widenedTo16Bits() -> GrayImage {
        guard bitDepth == 8 else { return self }
        return GrayImage(width: width, height: height, bitDepth: 16, pixels: pixels.map { $0 &* 257 })
    }

    /// An 8-bit 0/255 mask: every non-zero pixel becomes 255.
    public func binaryMask() -> GrayImage {
        GrayImage(width: width, height: height, bitDepth: 8, pixels: pixels.map { $0 == 0 ? 0 : 255 })
    }

    /// Whether any pixel is non-zero (a mask with a lesion).
    public var hasForeground: Bool { pixels.contains { $0 != 0 } }
}
