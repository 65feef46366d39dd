import Foundation
import MammoData

/// Probability maps written by any tool, one per dataset image: `DIR/ID_probability.png`,
/// gray, p · (2^bits − 1) — 16-bit as `mammoseg predict` writes them — in the prepared
/// image's geometry. Evaluating them gives exactly the metrics of a checkpoint's own maps.
public struct ProbabilityMapFolder: Sendable {
    public let root: String

    public init(root: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isFolder), isFolder.boolValue else {
            throw EvaluationError("\(root): no such folder; give --maps the folder holding ID_probability.png files")
        }
        self.root = root
    }

    /// The file that holds the map of dataset image `id`.
    public static func fileName(id: String) -> String { id + "_probability.png" }

    public func path(id: String) -> String { (root as NSString).appendingPathComponent(Self.fileName(id: id)) }

    /// The map of `entry`, in [0, 1], checked against the prepared image's size.
    public func probability(for entry: DatasetEntry, width: Int, height: Int) throws -> [Float] {
        let file = path(id: entry.id)
        guard FileManager.default.fileExists(atPath: file) else {
            throw EvaluationError("\(file): missing; write one map per image of the split "
                                  + "(mammoseg predict --data DATASET --split S --out \(root))")
        }
        let map = try ImageFile.readGray(file)
        guard map.width == width, map.height == height else {
            throw EvaluationError("\(file): is \(map.width)x\(map.height) but the prepared image \(entry.id) is "
                                  + "\(width)x\(height); write maps in the prepared image's geometry")
        }
        return map.normalized()
    }

    /// Evaluation samples of `entries`: each map beside the dataset's mask and breast region.
    /// Checks every map before reading any further, so one bad file fails fast.
    public func samples(dataset: PreparedDataset, entries: [DatasetEntry],
                        progress: ((Int, Int) -> Void)? = nil) throws -> [SegmentationSample] {
        for entry in entries where !FileManager.default.fileExists(atPath: path(id: entry.id)) {
            _ = try probability(for: entry, width: 0, height: 0)   // throws the missing-file error
        }
        var samples: [SegmentationSample] = []
        for (i, entry) in entries.enumerated() {
            let image = try dataset.loadImage(entry)
            let mask = try dataset.loadMask(entry)
            let p = try probability(for: entry, width: image.width, height: image.height)
            samples.append(SegmentationSample(id: entry.id, width: image.width, height: image.height, probability: p,
                                              mask: mask.pixels.map { $0 > 0 ? 1 : 0 }, image: image.normalized(),
                                              patientID: entry.patientID))
            progress?(i + 1, entries.count)
        }
        return samples
    }
}
