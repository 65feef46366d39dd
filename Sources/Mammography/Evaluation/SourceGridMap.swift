import MammoData

/// A map over a source image's own grid (raw `predict`, a DICOM Segmentation) taken into its
/// prepared image's grid by the manifest's per-image transform, the way the image itself was:
/// mirrored, cropped, then area-averaged to the prepared size.
enum SourceGridMap {
    /// `map`: `transform.sourceHeight × transform.sourceWidth` values, row-major.
    static func prepared(_ map: [Float], transform t: PreprocessingTransform) -> [Float] {
        precondition(map.count == t.sourceWidth * t.sourceHeight && t.isConsistent, "SourceGridMap: map or transform inconsistent")
        // The crop, in the unmirrored source's columns.
        let columns = (0..<t.crop.width).map { x -> Int in
            let mirrored = t.crop.x + x
            return t.flipped ? t.sourceWidth - 1 - mirrored : mirrored
        }
        let horizontal = areaWeights(source: t.crop.width, target: t.preparedWidth)
        let vertical = areaWeights(source: t.crop.height, target: t.preparedHeight)
        // Rows first (crop rows × prepared columns), then columns.
        var rows = [Float](repeating: 0, count: t.crop.height * t.preparedWidth)
        for y in 0..<t.crop.height {
            let sourceRow = (t.crop.y + y) * t.sourceWidth
            for x in 0..<t.preparedWidth {
                var sum: Float = 0
                for (index, weight) in horizontal[x] { sum += map[sourceRow + columns[index]] * weight }
                rows[y * t.preparedWidth + x] = sum
            }
        }
        var out = [Float](repeating: 0, count: t.preparedWidth * t.preparedHeight)
        for y in 0..<t.preparedHeight {
            for x in 0..<t.preparedWidth {
                var sum: Float = 0
                for (index, weight) in vertical[y] { sum += rows[index * t.preparedWidth + x] * weight }
                out[y * t.preparedWidth + x] = min(1, max(0, sum))
            }
        }
        return out
    }

    /// For each target pixel, the source pixels it covers and their normalised weights (box integration).
    private static func areaWeights(source: Int, target: Int) -> [[(Int, Float)]] {
        let step = Double(source) / Double(target)
        return (0..<target).map { t in
            let start = Double(t) * step, end = Double(t + 1) * step
            var list: [(Int, Float)] = []
            var index = Int(start.rounded(.down))
            while Double(index) < end && index < source {
                let covered = min(end, Double(index + 1)) - max(start, Double(index))
                if covered > 1e-9 { list.append((index, Float(covered / step))) }
                index += 1
            }
            return list
        }
    }
}
