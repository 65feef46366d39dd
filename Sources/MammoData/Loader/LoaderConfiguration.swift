/// How `TrainingLoader` samples and augments crops.
public struct LoaderConfiguration: Sendable {
    /// Crop side S (the training size).
    public var size: Int = 256
    public var batchSize: Int = 8
    /// Random rescale before cropping (the study's scale jitter); 1...1 disables it.
    public var scaleRange: ClosedRange<Double> = 0.8...1.2
    /// Fraction of crops centred near a lesion pixel (on images that have one).
    public var lesionCropFraction: Double = 0.5
    public var horizontalFlips: Bool = true
    public var verticalFlips: Bool = true
    /// Also rotate by multiples of 90° (off by default: mammograms have a chest-wall side).
    public var rotations: Bool = false
    public var seed: UInt64 = 1
    /// Data-parallel sharding: the global batch is `batchSize × replicaCount` samples and this
    /// process makes slots `replicaRank·batchSize ..< (replicaRank + 1)·batchSize` of it. Crops
    /// are keyed by the global slot, so N replicas see exactly one process's batch of N × B.
    public var replicaRank: Int = 0
    public var replicaCount: Int = 1
    /// Background threads preparing batches, and how many finished batches may wait.
    public var workers: Int = 2
    public var prefetch: Int = 4
    /// Keep decoded images in memory after their first use (2 bytes/pixel + 1 byte/pixel of mask).
    public var cacheImages: Bool = true

    public init(size: Int = 256, batchSize: Int = 8, seed: UInt64 = 1) {
        self.size = size; self.batchSize = batchSize; self.seed = seed
    }
}
