/// `dataset.json`: where a prepared dataset came from and what it holds.
public struct DatasetProvenance: Codable, Equatable, Sendable {
    /// Bumped when the prepared-dataset contract changes. 2: per-image transforms in the manifest
    /// and the preprocessing policy here; version 1 datasets (neither) are still read.
    public static let currentVersion = 2

    public var version: Int
    /// `synthetic`, `cbis-ddsm`, `mias`, `folder`.
    public var importer: String
    public var sources: [String]
    /// Importer options as given (scale, fractions, ...), as text for a stable, readable file.
    public var options: [String: String]
    public var seed: UInt64
    /// Images per split and per label, filled in by `DatasetWriter.finish`.
    public var counts: [String: Int]
    /// Skipped inputs per reason.
    public var skipped: [String: Int]
    /// Which way the breasts face in the written images.
    public var orientation: String
    /// The breast-aware preparation every image went through; nil for datasets prepared
    /// without it (older versions, synthetic data, imports that kept the plain mirror-and-scale).
    public var preprocessing: PreprocessingPolicy?

    public init(importer: String, sources: [String], options: [String: String] = [:], seed: UInt64,
                skipped: [String: Int] = [:]) {
        self.version = Self.currentVersion
        self.importer = importer; self.sources = sources; self.options = options; self.seed = seed
        self.counts = [:]; self.skipped = skipped
        self.orientation = PreparedDataset.orientation
    }
}
