import Foundation

/// Imports mini-MIAS (`mammoseg import mias`): `Info.txt` plus `mdbNNN.pgm` (8-bit, 1024²).
///
/// - Masks are the discs given by x, y, radius; several rows per image are unioned
///   (label malignant if any row is); y counts from the bottom: row = (height − 1) − y.
/// - Images with an abnormality but no coordinates (diffuse calcifications) are skipped and
///   logged: their mask cannot be drawn, and an empty one would mark a lesion as normal.
/// - Pairs mdb(2k−1), mdb(2k) are one woman: patient `mias_k`; laterality even = L, odd = R
///   (recorded); orientation by the brighter half, since MIAS centres each breast in its frame.
/// - Splits by patient with the seeded assignment (no official split exists).
public struct MIASImporter: Sendable {
    public var root: String
    public var options: ImportOptions

    public init(root: String, options: ImportOptions = ImportOptions()) {
        self.root = root; self.options = options
    }

    @discardableResult
    public func run(into output: String, log: ImportLog) throws -> [DatasetEntry] {
        let info = try infoFile()
        let rows = try MIASInfo.read(info)
        var byImage: [String: [MIASAbnormality]] = [:]
        for row in rows { byImage[row.reference, default: []].append(row) }
        let images = try pgmFiles()
        let references = byImage.keys.sorted()
        let splits = PatientSplit.assign(patients: references.map(Self.patientID), valFraction: options.valFraction,
                                         testFraction: options.testFraction, seed: options.seed)
        let writer = try DatasetWriter(root: output, overwrite: options.overwrite)
        log.begin(total: references.count)
        for reference in references {
            defer { log.advance() }
            let abnormalities = byImage[reference]!
            guard let path = images[reference] else {
                log.skip(reference, reason: "image missing", detail: "no \(reference).pgm under \(root)")
                continue
            }
            let lesions = abnormalities.filter { !$0.isNormal }
            if let diffuse = lesions.first(where: { $0.circle == nil }) {
                log.skip(reference, reason: "lesion without coordinates", detail: "\(diffuse.abnormalityClass) on line \(diffuse.line) of Info.txt has no x, y, radius")
                continue
            }
            let image = try ImageFile.readGray(path)
            var mask = GrayImage(width: image.width, height: image.height, bitDepth: 8)
            for lesion in lesions { Self.drawDisc(lesion.circle!, into: &mask) }
            let number = Int(reference.dropFirst(3)) ?? 0
            let laterality: Orientation.Laterality = number % 2 == 0 ? .left : .right
            // MIAS's PGMs say nothing of their 200 µm pixels: prepared by longest side.
            let prepared = try ImagePreparation.prepare(image: image, mask: mask, laterality: nil, options: options,
                                                        pixelSpacing: nil, file: path)
            let label: ImageLabel = lesions.isEmpty ? .normal
                : (lesions.contains { $0.severity == "M" } ? .malignant : .benign)
            let types = Set(lesions.map(\.lesionType)).subtracting([""]).sorted().joined(separator: "+")
            let entry = DatasetEntry(id: reference, split: splits[Self.patientID(reference)]!, patientID: Self.patientID(reference),
                                     source: "mias:\(reference)", label: label, lesionType: types,
                                     laterality: laterality.rawValue, view: "MLO")
            try writer.add(entry, prepared: prepared)
        }
        log.finish()
        return try writer.finish(provenance: options.provenance(importer: "mias", sources: [root], skipped: log.skipped))
    }

    /// `mias_001` for mdb001 and mdb002.
    static func patientID(_ reference: String) -> String {
        let number = Int(reference.dropFirst(3)) ?? 0
        return String(format: "mias_%03d", (number + 1) / 2)
    }

    /// Sets every pixel whose centre lies within the circle; y is measured from the bottom row.
    static func drawDisc(_ circle: (x: Double, y: Double, radius: Double), into mask: inout GrayImage) {
        let row = Double(mask.height - 1) - circle.y
        let r = circle.radius
        let y0 = max(0, Int((row - r).rounded(.down))), y1 = min(mask.height - 1, Int((row + r).rounded(.up)))
        let x0 = max(0, Int((circle.x - r).rounded(.down))), x1 = min(mask.width - 1, Int((circle.x + r).rounded(.up)))
        guard y0 <= y1, x0 <= x1 else { return }
        for y in y0...y1 {
            for x in x0...x1 {
                let dx = Double(x) - circle.x, dy = Double(y) - row
                if dx * dx + dy * dy <= r * r { mask[x, y] = 255 }
            }
        }
    }

    private func infoFile() throws -> String {
        for name in ["Info.txt", "info.txt", "INFO.TXT"] {
            let path = (root as NSString).appendingPathComponent(name)
            if FileManager.default.fileExists(atPath: path) { return path }
        }
        throw DataError(file: root, "no Info.txt; give the mini-MIAS folder (Info.txt and mdbNNN.pgm) with --root")
    }

    /// `mdbNNN` → path, searched recursively.
    private func pgmFiles() throws -> [String: String] {
        var files: [String: String] = [:]
        for path in try SourceImage.files(under: root) where path.lowercased().hasSuffix(".pgm") {
            files[((path as NSString).lastPathComponent as NSString).deletingPathExtension.lowercased()] = path
        }
        return files
    }
}
