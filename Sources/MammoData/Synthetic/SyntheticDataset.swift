import Dispatch
import Foundation

/// Writes a prepared dataset of synthetic phantoms (`mammoseg synth`).
public enum SyntheticDataset {
    public struct Options: Sendable {
        public var count: Int = 400
        public var size: Int = 256
        public var normalFraction: Double = 0.5
        public var seed: UInt64 = 1
        public var valFraction: Double = 0.1
        public var testFraction: Double = 0.2
        /// Also write every image as DICOM into `ROOT/dicom/images/ID.dcm` (as acquired: right
        /// breasts mirrored, laterality and view in the header) with its mask in `ROOT/dicom/masks/`,
        /// so the readers and the folder importer are exercised end to end.
        public var writeDICOM: Bool = false
        /// Also measure the phantoms' texture realism (`TextureRealism`; meaningful at size ≥ 512).
        public var measureRealism: Bool = false
        public init() {}
    }

    /// Image ids are `synth_NNNNN`, patients `SP_NNNNN` (two images each: CC and MLO).
    public static func id(ofImage index: Int) -> String { String(format: "synth_%05d", index) }
    public static func patientID(ofImage index: Int) -> String {
        String(format: "SP_%05d", SyntheticMammogramGenerator.patientIndex(ofImage: index))
    }

    /// Per-image phantom properties, `ROOT/phantoms.csv`.
    public static let phantomTable = "phantoms.csv"
    static let phantomColumns = ["id", "view", "laterality", "glandular_fraction", "thickness_mm", "detector_bits",
                                 "confounders", "film_artifacts"]

    /// Largest image side: the noise bank holds eight tiles of the next power of two.
    public static let maximumSize = 2048

    /// What `write` made: the manifest's entries, the single-threshold baseline Dice, how many
    /// images got confounders and film artifacts, and the realism report when asked for.
    public struct Summary: Sendable {
        public var entries: [DatasetEntry]
        public var thresholdBaselineDice: Double
        public var imagesWithConfounders: Int
        public var imagesWithFilmArtifacts: Int
        public var realism: RealismSummary?
    }

    /// Generates and writes `options.count` phantoms in parallel; the files do not depend on
    /// the number of threads. `progress` is called (from any thread) after each image.
    @discardableResult
    public static func write(to root: String, options: Options, overwrite: Bool = false,
                             progress: (@Sendable () -> Void)? = nil) throws -> Summary {
        guard options.count > 0, options.size >= 32, options.size <= maximumSize else {
            throw DataError(file: root, "count must be positive and size 32…\(maximumSize) (got \(options.count), \(options.size))")
        }
        let writer = try DatasetWriter(root: root, overwrite: overwrite)
        let dicomFolder = (root as NSString).appendingPathComponent("dicom")
        if overwrite {
            // The writer clears images/ and masks/; the DICOM copies belong to the old dataset too.
            try? FileManager.default.removeItem(atPath: dicomFolder)
        }
        if options.writeDICOM {
            for sub in ["images", "masks"] {
                do {
                    try FileManager.default.createDirectory(atPath: (dicomFolder as NSString).appendingPathComponent(sub),
                                                            withIntermediateDirectories: true)
                } catch {
                    throw DataError(file: dicomFolder, "cannot create the DICOM folder (\(error.localizedDescription)); check permissions")
                }
            }
        }
        let generator = SyntheticMammogramGenerator(size: options.size, normalFraction: options.normalFraction, seed: options.seed)
        let patients = (0..<options.count).map(patientID(ofImage:))
        let splits = PatientSplit.assign(patients: patients, valFraction: options.valFraction,
                                         testFraction: options.testFraction, seed: options.seed)
        let failures = FirstError()
        let baseline = LockedBaseline()
        let tally = LockedTally()
        DispatchQueue.concurrentPerform(iterations: options.count) { index in
            guard !failures.isSet else { return }
            do {
                let phantom = generator.make(index: index)
                let entry = DatasetEntry(id: id(ofImage: index), split: splits[patientID(ofImage: index)]!,
                                         patientID: patientID(ofImage: index), source: "synthetic:seed=\(options.seed):index=\(index)",
                                         label: phantom.label, lesionType: phantom.lesionType,
                                         laterality: phantom.laterality, view: phantom.view)
                try writer.add(entry, image: phantom.image, mask: phantom.mask)
                if phantom.confounderMask.hasForeground {
                    try writer.addConfounderMask(id: entry.id, mask: phantom.confounderMask)
                }
                baseline.add(image: phantom.image, mask: phantom.mask)
                tally.add(confounders: phantom.confounderMask.hasForeground, artifacts: phantom.hasFilmArtifacts,
                          patches: options.measureRealism ? TextureRealism.patches(phantom.image) : [],
                          row: [entry.id, phantom.view, phantom.laterality, String(format: "%.3f", phantom.glandularFraction),
                                String(format: "%.1f", phantom.thicknessMillimetres), String(phantom.detectorBits),
                                phantom.confounderTypes.joined(separator: "+"), phantom.hasFilmArtifacts ? "1" : "0"])
                if options.writeDICOM {
                    try SyntheticDICOM.write(phantom, entry: entry, index: index, folder: dicomFolder)
                }
                progress?()
            } catch {
                failures.set(error)
            }
        }
        if let error = failures.error { throw error }
        let provenance = DatasetProvenance(
            importer: "synthetic", sources: [],
            options: ["count": "\(options.count)", "size": "\(options.size)", "normal_fraction": "\(options.normalFraction)",
                      "val_fraction": "\(options.valFraction)", "test_fraction": "\(options.testFraction)",
                      "dicom": "\(options.writeDICOM)"],
            seed: options.seed)
        // What the manifest does not say about each phantom (for figures and per-type counts).
        let table = ([phantomColumns] + tally.rows.sorted { $0[0] < $1[0] }).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
        try AtomicWrite.write(Array(table.utf8), to: (root as NSString).appendingPathComponent(phantomTable), what: "phantom table")
        let entries = try writer.finish(provenance: provenance)
        return Summary(entries: entries, thresholdBaselineDice: baseline.bestDice,
                       imagesWithConfounders: tally.confounders, imagesWithFilmArtifacts: tally.artifacts,
                       realism: options.measureRealism ? RealismSummary(images: options.count, patches: tally.patches) : nil)
    }
}

/// A `ThresholdBaseline` filled from several threads.
final class LockedBaseline: @unchecked Sendable {
    private let lock = NSLock()
    private var baseline = ThresholdBaseline()
    func add(image: GrayImage, mask: GrayImage) {
        var local = ThresholdBaseline()
        local.add(image: image, mask: mask)
        lock.lock(); baseline.merge(local); lock.unlock()
    }
    var bestDice: Double { lock.lock(); defer { lock.unlock() }; return baseline.bestDice }
}


/// Counts and realism patches gathered from several threads (sorted before use, so the
/// summary does not depend on timing).
final class LockedTally: @unchecked Sendable {
    private let lock = NSLock()
    private(set) var confounders = 0
    private(set) var artifacts = 0
    private var collected: [TextureRealism.Patch] = []
    private var collectedRows: [[String]] = []
    func add(confounders hasConfounders: Bool, artifacts hasArtifacts: Bool, patches: [TextureRealism.Patch], row: [String]) {
        lock.lock(); defer { lock.unlock() }
        collectedRows.append(row)
        if hasConfounders { confounders += 1 }
        if hasArtifacts { artifacts += 1 }
        collected += patches
    }
    var patches: [TextureRealism.Patch] { lock.lock(); defer { lock.unlock() }; return collected }
    var rows: [[String]] { lock.lock(); defer { lock.unlock() }; return collectedRows }
}
