import Engine
import MammoData

extension Trainer {
    /// Writes `RUN/report.html` for the best checkpoint: configuration, loss and metric
    /// curves, and for a fixed set of validation images (the first positives and normals
    /// in manifest order) a row of input, label, probability map and hard prediction.
    public func writeReport(examples: Int = 4) throws {
        if let best = try? Checkpoint.load(run.bestCheckpoint) {
            _ = try best.apply(to: model.parameters, strict: true)
        }
        var entries = dataset.entries(split: .val)
        if entries.isEmpty { entries = dataset.entries(split: .test) }
        let positives = entries.filter { $0.label != .normal }.prefix(examples / 2)
        let normals = entries.filter { $0.label == .normal }.prefix(examples - positives.count)
        let chosen = Array(positives) + Array(normals)
        var rows: [RunReport.ImageRow] = []
        if model.architecture.isSegmenter {
            let samples = try SegmentationEvaluation.samples(model: model, backend: backend, dataset: dataset,
                                                             entries: chosen, size: configuration.size)
            for (entry, sample) in zip(chosen, samples) {
                let image = try dataset.loadImage(entry).normalized()
                let panels = try FigureGrid.caseRow(image: image, mask: sample.mask, probability: sample.probability,
                                                    width: sample.width, height: sample.height,
                                                    threshold: Float(configuration.threshold))
                rows.append(.init(title: "\(entry.id) (\(entry.label.rawValue))", panels: panels))
            }
        }
        let c = configuration
        let settings: [(key: String, value: String)] = [
            ("data", c.data), ("architecture", c.architecture), ("size", "\(c.size)"), ("width", "\(c.width)"),
            ("epochs", "\(c.epochs)"), ("batch", "\(c.batchSize)"), ("learning rate", "\(c.learningRate)"),
            ("decay", "×\(c.decayFactor) every \(c.decayEvery) epochs"), ("pos-weight", "\(c.positiveWeight)"),
            ("scale jitter", "±\(c.effectiveScaleJitter)"),
            ("weight decay", "\(c.weightDecay)"), ("seed", "\(c.seed)"), ("init", c.initFrom ?? "random"),
            ("frozen", c.freezeEncoder ? "encoder" : "nothing"), ("backend", backend.name),
        ]
        let history = run.readMetrics()
        let scoreKey = model.architecture.isSegmenter ? "val_dice" : "val_auc"
        let best = history.max { ($0[scoreKey] ?? -1) < ($1[scoreKey] ?? -1) }
        let summary: [(metric: String, value: String)] = (best ?? [:]).keys.sorted().map { key in
            (key, String(format: "%.4g", best![key]!))
        }
        let report = RunReport(title: "MammoSeg run: \(c.architecture)", configuration: settings, epochs: history,
                               summary: summary, imageRows: rows)
        try report.write(to: run.reportFile)
    }
}
