import Engine
import MammoData

/// Evaluates a segmentation network on entries of a prepared dataset: predicts each whole
/// image (tiled when large), then applies `SegmentationMetrics` (design.md definitions).
public enum SegmentationEvaluation {
    public static func samples(model: any SegmentationModel, backend: Backend, dataset: PreparedDataset,
                               entries: [DatasetEntry], size: Int, flips: Bool = false,
                               progress: ((Int, Int) -> Void)? = nil) throws -> [SegmentationSample] {
        let predictor = makePredictor(model: model, backend: backend, size: size, flips: flips)
        var samples: [SegmentationSample] = []
        for (i, entry) in entries.enumerated() {
            let image = try dataset.loadImage(entry)
            let p = try probability(predictor, image: image, entry: entry)
            samples.append(try sample(dataset: dataset, entry: entry, image: image, probability: p))
            progress?(i + 1, entries.count)
        }
        return samples
    }

    /// The predictor `samples` uses (as `predict` runs it).
    static func makePredictor(model: any SegmentationModel, backend: Backend, size: Int, flips: Bool) -> Predictor {
        let predictor = Predictor(model: model, backend: backend, tileSize: size)
        predictor.testTimeFlips = flips
        predictor.maxWholePixels = Predictor.wholeImageLimit(tileSize: size)
        return predictor
    }

    /// The network's probability map of one prepared image (outside the breast zeroed).
    static func probability(_ predictor: Predictor, image: GrayImage, entry: DatasetEntry) throws -> [Float] {
        var p = try predictor.probability(image: image.normalized(), width: image.width, height: image.height)
        PreparedBreastMask.apply(to: &p, image: image, entry: entry)
        return p
    }

    /// One evaluated image from its probability map (computed here or by another process).
    static func sample(dataset: PreparedDataset, entry: DatasetEntry, image: GrayImage,
                       probability p: [Float]) throws -> SegmentationSample {
        let mask = try dataset.loadMask(entry)
        var sample = SegmentationSample(id: entry.id, width: image.width, height: image.height, probability: p,
                                        mask: mask.pixels.map { $0 > 0 ? 1 : 0 }, image: image.normalized(),
                                        patientID: entry.patientID)
        sample.confounder = try dataset.loadConfounderMask(entry, width: image.width, height: image.height)?
            .pixels.map { $0 > 0 ? 1 : 0 }
        return sample
    }

    /// `samples` split over the replicas of a data-parallel job: replica r predicts entries
    /// r, r + N, …; the maps are gathered at replica 0, which alone returns the samples (in
    /// `entries` order, the same as one process's); the others return [].
    public static func samples(model: any SegmentationModel, backend: Backend, dataset: PreparedDataset,
                               entries: [DatasetEntry], size: Int, flips: Bool = false,
                               replicas: ReplicaGroup) throws -> [SegmentationSample] {
        guard replicas.count > 1 else {
            return try samples(model: model, backend: backend, dataset: dataset, entries: entries, size: size, flips: flips)
        }
        let predictor = makePredictor(model: model, backend: backend, size: size, flips: flips)
        var mine: [Float] = []
        for i in stride(from: replicas.rank, to: entries.count, by: replicas.count) {
            mine += try probability(predictor, image: dataset.loadImage(entries[i]), entry: entries[i])
        }
        let gathered = try replicas.gather(mine, to: 0, "the validation probability maps")
        guard replicas.isRoot else { return [] }
        var offsets = [Int](repeating: 0, count: replicas.count)
        var samples: [SegmentationSample] = []
        for (i, entry) in entries.enumerated() {
            let image = try dataset.loadImage(entry)
            let owner = i % replicas.count, start = offsets[owner], end = start + image.pixels.count
            guard end <= gathered[owner].count else {
                throw EvaluationError("replica \(owner) sent \(gathered[owner].count) probabilities, fewer than its images need")
            }
            offsets[owner] = end
            samples.append(try sample(dataset: dataset, entry: entry, image: image,
                                      probability: Array(gathered[owner][start..<end])))
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
            let (p, positive) = try probability(model: model, backend: backend, dataset: dataset, entry: entry, size: size)
            probabilities.append(Double(p))
            labels.append(positive)
        }
        return ClassifierMetrics(probabilities: probabilities, labels: labels)
    }

    /// `evaluate` split over the replicas of a data-parallel job (replica r takes entries r,
    /// r + N, …); the metrics are computed at replica 0, the others return nil.
    public static func evaluate(model: any SegmentationModel, backend: Backend, dataset: PreparedDataset,
                                entries: [DatasetEntry], size: Int, seed: UInt64,
                                replicas: ReplicaGroup) throws -> ClassifierMetrics? {
        guard replicas.count > 1 else {
            return try evaluate(model: model, backend: backend, dataset: dataset, entries: entries, size: size, seed: seed)
        }
        var mine: [Float] = []  // (probability, label) pairs
        for i in stride(from: replicas.rank, to: entries.count, by: replicas.count) {
            let (p, positive) = try probability(model: model, backend: backend, dataset: dataset, entry: entries[i], size: size)
            mine += [p, positive ? 1 : 0]
        }
        let gathered = try replicas.gather(mine, to: 0, "the validation probabilities")
        guard replicas.isRoot else { return nil }
        var probabilities: [Double] = [], labels: [Bool] = []
        for i in entries.indices {
            let owner = i % replicas.count, at = 2 * (i / replicas.count)
            guard at + 1 < gathered[owner].count else {
                throw EvaluationError("replica \(owner) sent \(gathered[owner].count / 2) probabilities, fewer than its images")
            }
            probabilities.append(Double(gathered[owner][at]))
            labels.append(gathered[owner][at + 1] != 0)
        }
        return ClassifierMetrics(probabilities: probabilities, labels: labels)
    }

    /// The classifier's abnormal probability for one image, and whether its mask has a lesion.
    static func probability(model: any SegmentationModel, backend: Backend, dataset: PreparedDataset,
                            entry: DatasetEntry, size: Int) throws -> (Float, Bool) {
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
        return (p.scalars[1], positive)
    }
}
