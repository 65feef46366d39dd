/// Image-level scores and decisions derived from a probability map.
public enum ImageScore {
    /// The largest probability in the map.
    public static func maximum(_ probability: [Float]) -> Double {
        Double(probability.max() ?? 0)
    }

    /// The number of pixels the top-k score averages: k = max(1, ⌊H·W / 750⌋), the same
    /// count the seed's rule asks to exceed the threshold, so the top-k mean is a
    /// threshold-free version of that rule (and less noisy than the single maximum).
    public static func topK(width: Int, height: Int) -> Int {
        max(1, width * height / 750)
    }

    /// Mean of the `k` largest probabilities (k clamped to the pixel count).
    public static func topKMean(_ probability: [Float], k: Int) -> Double {
        guard !probability.isEmpty else { return 0 }
        let k = min(max(k, 1), probability.count)
        // A partial selection would be faster; a sort keeps it obviously right and
        // evaluation is not the bottleneck.
        let top = probability.sorted(by: >).prefix(k)
        return top.reduce(0.0) { $0 + Double($1) } / Double(k)
    }

    /// The seed's rule: an image is positive when more than H·W / 750 of its pixels are
    /// above the threshold (H·W is the seed's size², generalised to non-square maps).
    public static func seedRule(_ probability: [Float], width: Int, height: Int, threshold: Float) -> Bool {
        let flagged = probability.lazy.filter { $0 > threshold }.count
        return Double(flagged) > Double(width * height) / 750
    }
}
