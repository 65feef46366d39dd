import Foundation

/// A prepared dataset on disk (the contract every importer writes and training reads):
///
///     ROOT/manifest.csv   id,image,mask,split,patient_id,source,label,lesion_type,laterality,view
///                         (version 2: + the per-image transform, `TransformColumns`)
///     ROOT/images/ID.png  16-bit grayscale, chest wall at the left edge
///     ROOT/masks/ID.png   8-bit, 0 = normal, 255 = abnormal (all 0 for normal images)
///     ROOT/confounders/ID.png  optional, 8-bit: mass-like normal findings of synthetic
///                         images (0/255), for false positives counted on them
///     ROOT/dataset.json   provenance (importer, sources, options, seed, counts, version,
///                         preprocessing policy); version 1 datasets read, newer ones refused
public struct PreparedDataset: Sendable {
    /// Which way every prepared image faces (importers mirror right breasts to match).
    public static let orientation = "chest wall at the left edge (column 0), nipple towards the right"

    public let root: String
    public let entries: [DatasetEntry]
    /// `dataset.json`, when the folder has one (hand-made datasets may not).
    public let provenance: DatasetProvenance?
    /// How the images were prepared; nil when they were not prepared by `Preprocessing`.
    public var preprocessing: PreprocessingPolicy? { provenance?.preprocessing }

    /// Reads and validates `ROOT/manifest.csv` (not the images; those are checked when loaded).
    public init(root: String) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw DataError(file: root, "no such dataset folder; create it with `mammoseg synth` or `mammoseg import`")
        }
        self.root = root
        self.provenance = try Self.readProvenance((root as NSString).appendingPathComponent("dataset.json"))
        self.entries = try Manifest.read((root as NSString).appendingPathComponent(Manifest.fileName))
    }

    /// Reads `dataset.json` if present; refuses a version newer than this build understands.
    static func readProvenance(_ path: String) throws -> DatasetProvenance? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        struct Version: Decodable { var version: Int? }
        let version = (try? JSONDecoder().decode(Version.self, from: data))?.version
        guard let version else {
            throw DataError(file: path, "not a dataset description (no version); re-create the dataset with `mammoseg import` or `mammoseg synth`")
        }
        guard version <= DatasetProvenance.currentVersion else {
            throw DataError(file: path, "dataset version \(version) is newer than this mammoseg reads (\(DatasetProvenance.currentVersion)); update mammoseg or re-import the dataset")
        }
        do {
            return try JSONDecoder().decode(DatasetProvenance.self, from: data)
        } catch {
            throw DataError(file: path, "dataset description is damaged (\(error)); re-create the dataset")
        }
    }

    public func entries(split: Split) -> [DatasetEntry] { entries.filter { $0.split == split } }

    public func imagePath(_ entry: DatasetEntry) -> String { (root as NSString).appendingPathComponent(entry.image) }
    public func maskPath(_ entry: DatasetEntry) -> String { (root as NSString).appendingPathComponent(entry.mask) }

    /// Folder of the optional confounder masks.
    public static let confounderFolder = "confounders"

    public func confounderMaskPath(_ entry: DatasetEntry) -> String {
        (root as NSString).appendingPathComponent("\(Self.confounderFolder)/\(entry.id).png")
    }

    /// The image's confounder mask when the dataset has one for it (synthetic data), else nil;
    /// a mask of another size than the image is refused.
    public func loadConfounderMask(_ entry: DatasetEntry, width: Int, height: Int) throws -> GrayImage? {
        let path = confounderMaskPath(entry)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let mask = try PNG.readGray(path)
        guard mask.width == width, mask.height == height else {
            throw DataError(file: path, "confounder mask is \(mask.width)x\(mask.height) but its image is \(width)x\(height); re-create the dataset")
        }
        return mask
    }

    public func loadImage(_ entry: DatasetEntry) throws -> GrayImage {
        try PNG.readGray(imagePath(entry))
    }

    /// Loads the mask and checks it against the image's size (read from the image's PNG header).
    public func loadMask(_ entry: DatasetEntry) throws -> GrayImage {
        let mask = try PNG.readGray(maskPath(entry))
        let (width, height) = try PNGHeader.size(imagePath(entry))
        try checkSizes(entry, imageWidth: width, imageHeight: height, mask: mask)
        return mask
    }

    /// Loads image and mask together (one header read saved), checking that their sizes agree.
    public func loadPair(_ entry: DatasetEntry) throws -> (image: GrayImage, mask: GrayImage) {
        let image = try loadImage(entry)
        let mask = try PNG.readGray(maskPath(entry))
        try checkSizes(entry, imageWidth: image.width, imageHeight: image.height, mask: mask)
        return (image, mask)
    }

    private func checkSizes(_ entry: DatasetEntry, imageWidth: Int, imageHeight: Int, mask: GrayImage) throws {
        guard mask.width == imageWidth, mask.height == imageHeight else {
            throw DataError(file: maskPath(entry), "mask is \(mask.width)x\(mask.height) but its image \(imagePath(entry)) is \(imageWidth)x\(imageHeight); re-import the dataset")
        }
    }
}

/// The width and height from a PNG's IHDR chunk, without decoding the pixels.
enum PNGHeader {
    static func size(_ path: String) throws -> (width: Int, height: Int) {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DataError(file: path, "cannot open the image; check that it exists")
        }
        defer { try? handle.close() }
        let header = [UInt8](handle.readData(ofLength: 24))
        let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        guard header.count == 24, Array(header[0..<8]) == signature, Array(header[12..<16]) == Array("IHDR".utf8) else {
            throw DataError(file: path, "not a PNG file; re-import the dataset")
        }
        func bigEndian(_ at: Int) -> Int { header[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        return (bigEndian(16), bigEndian(20))
    }
}
