import Foundation
import MammoData

/// Probability maps written by any tool, one per dataset image, named by dataset id:
/// `DIR/ID_probability.png`, gray, p · (2^bits − 1) — 16-bit as `mammoseg predict` writes them —
/// or `DIR/ID_seg.dcm`, a DICOM Segmentation (FRACTIONAL: stored value / MaximumFractionalValue;
/// BINARY: 0 or 1) as `predict --dicom-seg` writes them. A map in the prepared image's geometry
/// is taken as it is; one in the source image's geometry (raw `predict`, every SEG) is brought
/// through the manifest's per-image transform. Evaluating them gives exactly the metrics of a
/// checkpoint's own maps.
public struct ProbabilityMapFolder: Sendable {
    public let root: String

    public init(root: String) throws {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isFolder), isFolder.boolValue else {
            throw EvaluationError("\(root): no such folder; give --maps the folder holding ID_probability.png or ID_seg.dcm files")
        }
        self.root = root
    }

    /// The PNG that holds the map of dataset image `id`.
    public static func fileName(id: String) -> String { id + "_probability.png" }
    /// The DICOM Segmentation that holds it, when there is no PNG.
    public static func segmentationFileName(id: String) -> String { id + "_seg.dcm" }

    public func path(id: String) -> String { (root as NSString).appendingPathComponent(Self.fileName(id: id)) }
    public func segmentationPath(id: String) -> String {
        (root as NSString).appendingPathComponent(Self.segmentationFileName(id: id))
    }

    /// The file holding the map of `id`: the PNG if there is one, else the SEG; nil if neither.
    public func mapFile(id: String) -> String? {
        [path(id: id), segmentationPath(id: id)].first { FileManager.default.fileExists(atPath: $0) }
    }

    /// The map of `entry`, in [0, 1], in the prepared image's `width`×`height` grid.
    public func probability(for entry: DatasetEntry, width: Int, height: Int) throws -> [Float] {
        guard let file = mapFile(id: entry.id) else {
            throw EvaluationError("\(path(id: entry.id)): missing (nor is there \(Self.segmentationFileName(id: entry.id))); "
                                  + "write one map per image of the split (mammoseg predict --data DATASET --split S --out \(root))")
        }
        let isSegmentation = file.hasSuffix(".dcm")
        let (mapWidth, mapHeight, map): (Int, Int, [Float])
        if isSegmentation {
            let seg = try DICOMSegmentationMap(path: file)
            (mapWidth, mapHeight, map) = (seg.columns, seg.rows, seg.probability)
        } else {
            let image = try ImageFile.readGray(file)
            (mapWidth, mapHeight, map) = (image.width, image.height, image.normalized())
        }
        let prepared = mapWidth == width && mapHeight == height
        let transform = entry.transform.flatMap { $0.isConsistent && $0.preparedWidth == width && $0.preparedHeight == height ? $0 : nil }
        let source = transform.map { mapWidth == $0.sourceWidth && mapHeight == $0.sourceHeight } ?? false
        // A SEG references a DICOM source, so when both grids fit it is taken as the source's;
        // a PNG as the prepared image's (as predict --data writes them).
        if source, let transform, isSegmentation || !prepared {
            return SourceGridMap.prepared(map, transform: transform)
        }
        guard prepared else {
            let sourceSize = transform.map { " (its source \($0.sourceWidth)x\($0.sourceHeight))" } ?? ""
            throw EvaluationError("\(file): is \(mapWidth)x\(mapHeight) but the prepared image \(entry.id) is "
                                  + "\(width)x\(height)\(sourceSize); write maps in the prepared image's geometry"
                                  + (transform == nil ? "" : " or the source image's"))
        }
        return map
    }

    /// Evaluation samples of `entries`: each map beside the dataset's mask and breast region.
    /// Checks every map before reading any further, so one bad file fails fast.
    public func samples(dataset: PreparedDataset, entries: [DatasetEntry],
                        progress: ((Int, Int) -> Void)? = nil) throws -> [SegmentationSample] {
        for entry in entries where mapFile(id: entry.id) == nil {
            _ = try probability(for: entry, width: 0, height: 0)   // throws the missing-file error
        }
        var samples: [SegmentationSample] = []
        for (i, entry) in entries.enumerated() {
            let image = try dataset.loadImage(entry)
            let mask = try dataset.loadMask(entry)
            var p = try probability(for: entry, width: image.width, height: image.height)
            PreparedBreastMask.apply(to: &p, image: image, entry: entry)   // as a checkpoint's map is
            samples.append(SegmentationSample(id: entry.id, width: image.width, height: image.height, probability: p,
                                              mask: mask.pixels.map { $0 > 0 ? 1 : 0 }, image: image.normalized(),
                                              patientID: entry.patientID))
            progress?(i + 1, entries.count)
        }
        return samples
    }
}
