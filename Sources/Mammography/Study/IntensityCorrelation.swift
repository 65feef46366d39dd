/// How much a probability map "resembles the input": the Pearson correlation between
/// input intensity and predicted probability. On normal images a good segmenter's map is
/// flat near 0, whatever the tissue looks like; a map that follows bright tissue scores
/// near 1 (the seed's failure: dense tissue taken for lesions).
public enum IntensityCorrelation {
    /// Pearson r of `x` and `y` over the pixels where `include` is true (all when nil);
    /// nil when fewer than two pixels count or either side is constant there.
    public static func pearson(_ x: [Float], _ y: [Float], include: [Bool]? = nil) -> Double? {
        guard x.count == y.count, include.map({ $0.count == x.count }) ?? true else { return nil }
        var n = 0.0, sx = 0.0, sy = 0.0, sxx = 0.0, syy = 0.0, sxy = 0.0
        for i in x.indices where include?[i] ?? true {
            let a = Double(x[i]), b = Double(y[i])
            n += 1; sx += a; sy += b; sxx += a * a; syy += b * b; sxy += a * b
        }
        guard n >= 2 else { return nil }
        let varX = sxx / n - (sx / n) * (sx / n), varY = syy / n - (sy / n) * (sy / n)
        guard varX > 1e-12, varY > 1e-12 else { return nil }
        return (sxy / n - sx / n * sy / n) / (varX * varY).squareRoot()
    }

    /// Mean over the normal (empty-mask) samples of each image's r over its breast pixels.
    /// `images[i]` is the model input of `samples[i]` (intensities in [0, 1]). Images where r
    /// is undefined (e.g. a constant map) are left out; nil when no image is left.
    public static func meanOverNormalImages(samples: [SegmentationSample], images: [[Float]]) -> Double? {
        let values = zip(samples, images).compactMap { sample, image -> Double? in
            sample.isPositive ? nil : pearson(image, sample.probability, include: sample.breast)
        }
        return values.isEmpty ? nil : values.reduce(0, +) / Double(values.count)
    }
}
