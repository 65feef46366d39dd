import Engine
import MammoData

/// Evaluates a segmentation network on entries of a prepared dataset: predicts each whole
/// image (tiled when large), then applies `SegmentationMetrics` (design.md definitions).
public enum SegmentationEvaluation {
    public static func samples(model: any SegmentationModel, backend: Backend, dataset: PreparedDataset,
                               entries: [DatasetEntry], size: Int, flips: Bool = false,
                               progress: ((Int, Int) -> Void)? = nil) throws -> [SegmentationSample] {
        let predictor = Predictor(model: model, backend: backend, tileSize: size)
        predictor.testTimeFlips = flips
        predictor.maxWholePixels = Predictor.wholeImageLimit(tileSize: size)   // as predict runs it
        var samples: [SegmentationSample] = []
        for (i, entry) in entries.enumerated() {
            let image = try dataset.loadImage(entry)
            let mask = try dataset.loadMask(entry)
            let input = image.normalized()
            var p = try predictor.probability(image: input, width: image.width, height: image.height)
            PreparedBreastMask.apply(to: &p, image: image, entry: entry)
            var sample = SegmentationSample(id: entry.id, width: image.width, height: image.height, probability: p,
                                            mask: mask.pixels.map { $0 > 0 ? 1 : 0 }, image: input, patientID: entry.patientID)
            sample.confounder = try dataset.loadConfounderMask(entry, width: image.width, height: image.height)?
                .pixels.map { $0 > 0 ? 1 : 0 }
            samples.append(sample)
            progress?(i + 1, entries.count)
        }
        return samples
    }

    public static func evaluate(model: any SegmentationModel, backend: Backend, dataset: PreparedDataset,
                                entries: [DatasetEntry], size: Int, threshold: Float = 0.5, flips: Bool = false,
                                froc: FROCOptions = FROCOptions(), bootstrapReplicates: Int = 0, seed: UInt64 = 0,
                                progress: ((Int, Int) -> Void)? = nil) throws -> EvaluationReport {
        try SegmentationMetrics.evaluate(samples: samples(model: model, backend: backend, dataset: dataset, entries: entries,
                                                          size: size, flips: flips, progress: progress),
                                         threshold: threshold, froc: froc, bootstrapReplicates: bootstrapReplicates, seed: seed)
    }
}

extension EvaluationReport {
    /// The headline numbers as a flat dictionary (metrics.csv columns, comparison tables).
    public func summaryMetrics(prefix: String = "") -> [String: Double] {
        var row: [String: Double] = [:]
        func put(_ key: String, _ value: Double?) { row[prefix + key] = value ?? .nan }
        put("dice", segmentation.pooledDice)
        put("iou", segmentation.pooledIoU)
        put("mean_dice", segmentation.meanDice)
        put("recall", segmentation.recall)
        put("precision", segmentation.precision)
        put("fp_rate_normal", negativeImages.falsePositiveRate)
        if let rate = negativeImages.confounderFalsePositiveRate { put("fp_rate_confounders", rate) }
        put("auc_max", imageLevel.aucMax)
        put("froc_sens_at_1fp", lesions.sensitivityAtFalsePositives["1"] ?? nil)
        put("froc_cpm", lesions.cpm)
        return row
    }
}

/// Evaluates the classifier on crops of the size it was trained at: the centre of the
/// largest lesion for positive images, the image centre for normal ones.
public enum ClassifierEvaluation {
    public static func evaluate(model: any SegmentationModel, backend: Backend, dataset: PreparedDataset,
                                entries: [DatasetEntry], size: Int, seed: UInt64) throws -> ClassifierMetrics {
        var probabilities: [Double] = [], labels: [Bool] = []
        for entry in entries {
            let image = try dataset.loadImage(entry), mask = try dataset.loadMask(entry)
            let positive = mask.pixels.contains { $0 != 0 }
            var cx = image.width / 2, cy = image.height / 2
            if positive {
                var sx = 0, sy = 0, n = 0
                for y in 0..<mask.height { for x in 0..<mask.width where mask[x, y] != 0 { sx += x; sy += y; n += 1 } }
                cx = sx / n; cy = sy / n
            }
            let x0 = min(max(0, cx - size / 2), max(0, image.width - size))
            let y0 = min(max(0, cy - size / 2), max(0, image.height - size))
            var crop = [Float](repeating: 0, count: size * size)
            let scale = 1 / Float(image.maxValue)
            for y in 0..<min(size, image.height) { for x in 0..<min(size, image.width) {
                crop[y * size + x] = Float(image[x0 + x, y0 + y]) * scale
            } }
            let ctx = Context(backend: backend, training: false)
            let p = try backend.download(model.probabilities(ctx.input(HostTensor(shape: [1, 1, size, size],
                                                                                    scalars: crop)), ctx))
            probabilities.append(Double(p.scalars[1]))
            labels.append(positive)
        }
        return ClassifierMetrics(probabilities: probabilities, labels: labels)
    }
}
