import MammoData

/// A map over a source image's own grid (raw `predict`, a DICOM Segmentation) taken into its
/// prepared image's grid by the manifest's per-image transform: mirrored and cropped as the image
/// was, then sampled bilinearly at the prepared pixels' centres. That is the inverse of how
/// `predict` made the source-grid map (`PreprocessingTransform.mapBack`, bilinear from the prepared
/// grid), so a prepared map survives the round trip up to second-order terms; area averaging would
/// blur it by a prepared pixel and move the FROC's peaks. Exact zeros are what `predict` writes
/// outside the breast: they get no weight beside non-zero neighbours, so the background does not
/// darken the breast's edge (a probability is never exactly 0 otherwise, and where it rounded to 0
/// its neighbours are as small).
enum SourceGridMap {
    /// `map`: `transform.sourceHeight × transform.sourceWidth` values, row-major.
    static func prepared(_ map: [Float], transform t: PreprocessingTransform) -> [Float] {
        precondition(map.count == t.sourceWidth * t.sourceHeight && t.isConsistent, "SourceGridMap: map or transform inconsistent")
        // The crop's columns in the unmirrored source.
        let sourceColumn = { (x: Int) -> Int in t.flipped ? t.sourceWidth - 1 - (t.crop.x + x) : t.crop.x + x }
        let columns = taps(source: t.crop.width, target: t.preparedWidth)
        let rows = taps(source: t.crop.height, target: t.preparedHeight)
        var out = [Float](repeating: 0, count: t.preparedWidth * t.preparedHeight)
        for (y, (y0, y1, fy)) in rows.enumerated() {
            let top = (t.crop.y + y0) * t.sourceWidth, bottom = (t.crop.y + y1) * t.sourceWidth
            for (x, (x0, x1, fx)) in columns.enumerated() {
                let (c0, c1) = (sourceColumn(x0), sourceColumn(x1))
                var sum: Float = 0, weight: Float = 0
                func add(_ value: Float, _ w: Float) { if value != 0 { sum += value * w; weight += w } }
                add(map[top + c0], (1 - fx) * (1 - fy)); add(map[top + c1], fx * (1 - fy))
                add(map[bottom + c0], (1 - fx) * fy); add(map[bottom + c1], fx * fy)
                out[y * t.preparedWidth + x] = weight > 0 ? min(1, max(0, sum / weight)) : 0
            }
        }
        return out
    }

    /// For each target pixel centre, the two source pixels around it and the weight of the second
    /// (half-pixel centres, clamped at the edges: the convention of `mapBack`).
    private static func taps(source: Int, target: Int) -> [(Int, Int, Float)] {
        let step = Double(source) / Double(target)
        return (0..<target).map { t in
            let position = min(max((Double(t) + 0.5) * step - 0.5, 0), Double(source - 1))
            let lower = Int(position.rounded(.down))
            return (lower, min(lower + 1, source - 1), Float(position - Double(lower)))
        }
    }
}
