/// One training batch, laid out for the engine.
///
/// - `images`: N·1·S·S floats, NCHW, intensities in [0, 1] (pixel / (2^bitDepth − 1)).
/// - `labels`: N·S·S bytes, 0 = normal, 1 = abnormal, same pixel order as `images`.
/// - `ids`: the dataset id of each sample's source image.
public struct Batch: Sendable {
    public var images: [Float]
    public var labels: [UInt8]
    public var ids: [String]
    /// Samples in the batch (N) and the crop side (S).
    public var count: Int
    public var size: Int
    /// Where this batch sits in the deterministic sequence.
    public var epoch: Int
    public var index: Int

    /// Fraction of label pixels that are abnormal (for logging class balance).
    public var foregroundFraction: Double {
        labels.isEmpty ? 0 : Double(labels.reduce(0) { $0 + Int($1) }) / Double(labels.count)
    }
}
