import Foundation
import Engine
import MammoData

/// The study reproduced (`mammoseg compare`): trains each architecture with the same data,
/// order, seed, budget and recipe, then measures and writes
///
///     OUT/runs/ARCH/             each training run (RunFolder: checkpoints, metrics, report.html)
///     OUT/comparison.md          tables: segmentation, checkerboard energy, per-layer CEF
///     OUT/comparison.json        every column of every architecture (ComparisonTable JSON)
///     OUT/results.json           everything measured ([ArchitectureResult])
///     OUT/figures/case-positive.png, case-normal.png     one row per architecture
///     OUT/figures/features-ARCH-init.png, -trained.png   first visible upsampling layer's maps
///
/// Evaluation uses the test split (the validation split when there is no test split) with
/// each run's best checkpoint by validation Dice. The checkerboard scores at initialisation
/// and after training are measured on the same `measurementImages` evaluation images (half
/// positive, half normal, first in manifest order); the figures show the first positive and
/// the first normal of them. At initialisation batch norm uses each image's own statistics
/// (`CheckerboardMeasurement.measure`), after training its running ones. The files are rewritten after every architecture, so an
/// interrupted comparison keeps what it finished.
public final class ArchitectureComparison {
    public struct Settings: Sendable {
        /// The recipe shared by every run; its `architecture` is replaced by each of `architectures`.
        public var training: TrainingConfiguration
        public var architectures: [Architecture]
        public var out: String
        public var measurementImages = 4

        public init(training: TrainingConfiguration, architectures: [Architecture], out: String) {
            self.training = training; self.architectures = architectures; self.out = out
        }
    }

    public let settings: Settings
    public let backend: Backend
    public weak var observer: TrainingObserver?
    /// Polled between training steps (Ctrl-C): the current run is saved and the comparison stops.
    public var shouldStop: () -> Bool = { false }

    public var runsFolder: String { settings.out + "/runs" }
    public var figuresFolder: String { settings.out + "/figures" }
    public var markdownFile: String { settings.out + "/comparison.md" }
    public var tableFile: String { settings.out + "/comparison.json" }
    public var resultsFile: String { settings.out + "/results.json" }

    private let dataset: PreparedDataset
    private let evaluationEntries: [DatasetEntry]
    private let measurementEntries: [DatasetEntry]

    /// Checks everything that can be checked before hours of training.
    public init(settings: Settings, backend: Backend, observer: TrainingObserver? = nil) throws {
        guard !settings.architectures.isEmpty else { throw TrainingError.configuration("--archs: name at least one architecture") }
        for arch in settings.architectures {
            guard arch.isSegmenter else {
                throw TrainingError.configuration("--archs: \(arch) is not a segmentation network; compare segmenters only")
            }
            do { try arch.validate(inputSize: settings.training.size) } catch {
                throw TrainingError.configuration("--size \(settings.training.size) does not suit \(arch): \(error)")
            }
        }
        guard Set(settings.architectures).count == settings.architectures.count else {
            throw TrainingError.configuration("--archs: an architecture is named twice")
        }
        self.settings = settings
        self.backend = backend
        self.observer = observer
        dataset = try PreparedDataset(root: settings.training.data)
        let test = dataset.entries(split: .test)
        evaluationEntries = test.isEmpty ? dataset.entries(split: .val) : test
        guard !evaluationEntries.isEmpty else {
            throw TrainingError.configuration("\(settings.training.data): no test or val images to evaluate on; check manifest.csv")
        }
        let positives = evaluationEntries.filter { $0.label != .normal }
        let normals = evaluationEntries.filter { $0.label == .normal }
        let half = settings.measurementImages / 2
        measurementEntries = Array(positives.prefix(half)) + Array(normals.prefix(settings.measurementImages - min(half, positives.count)))
        for arch in settings.architectures where FileManager.default.fileExists(atPath: RunFolder(root: runFolder(arch)).configFile) {
            throw TrainingError.runFolder(runFolder(arch), "already holds a run; choose a new --out for a new comparison")
        }
    }

    public func runFolder(_ architecture: Architecture) -> String { runsFolder + "/" + architecture.rawValue }

    /// Trains and measures every architecture in order; returns their results.
    public func run() throws -> [ArchitectureResult] {
        try FileManager.default.createDirectory(atPath: figuresFolder, withIntermediateDirectories: true)
        var results: [ArchitectureResult] = []
        var caseRows: [String: [(architecture: String, panels: [FigureGrid.Panel])]] = [:]
        for arch in settings.architectures {
            let (result, cases) = try compare(arch)
            results.append(result)
            for (key, panels) in cases { caseRows[key, default: []].append((arch.rawValue, panels)) }
            for (key, rows) in caseRows {
                try PNG.write(ComparisonFigures.caseFigure(rows: rows), to: "\(figuresFolder)/case-\(key).png")
            }
            try write(results)
        }
        return results
    }

    /// Trains one architecture and measures it; also returns its figure rows keyed "positive" / "normal".
    private func compare(_ arch: Architecture) throws -> (ArchitectureResult, [String: [FigureGrid.Panel]]) {
        var configuration = settings.training
        configuration.architecture = arch.rawValue
        let trainer = try Trainer(configuration: configuration, run: RunFolder(root: runFolder(arch)), backend: backend,
                                  resume: false, observer: observer)
        observer?.message("\(arch): measuring the untrained network")
        let probe = try CheckerboardProbe.run(model: trainer.model, backend: backend, size: configuration.size,
                                              seed: configuration.seed)
        let initial = try measure(trainer.model, batchStatistics: true)
        let featureLayer = ComparisonFigures.firstVisibleUpsamplingLayer(of: trainer.model, size: configuration.size)
        try writeFeatureFigure(trainer.model, layer: featureLayer, name: "\(arch.rawValue)-init")

        trainer.shouldStop = shouldStop
        // The time budget ends a run normally (every network gets the same wall-clock time); a stop request does not.
        if try !trainer.train(), shouldStop() {
            throw TrainingError.runFolder(runFolder(arch), "training of \(arch) stopped before its last epoch; "
                + "the finished architectures are in \(markdownFile)")
        }
        let metrics = trainer.run.readMetrics()
        guard !metrics.isEmpty else {
            throw TrainingError.runFolder(runFolder(arch), "no epoch of \(arch) finished within the time budget; raise --minutes")
        }
        try trainer.writeReport()  // also loads the best checkpoint into the model

        observer?.message("\(arch): evaluating \(evaluationEntries.count) images")
        let samples = try SegmentationEvaluation.samples(model: trainer.model, backend: backend, dataset: dataset,
                                                         entries: evaluationEntries, size: configuration.size)
        let evaluation = try SegmentationMetrics.evaluate(samples: samples, threshold: Float(configuration.threshold))
        let images = try evaluationEntries.map { try dataset.loadImage($0).normalized() }
        let trained = try measure(trainer.model, batchStatistics: false)
        try writeFeatureFigure(trainer.model, layer: featureLayer, name: "\(arch.rawValue)-trained")

        var cases: [String: [FigureGrid.Panel]] = [:]
        for (key, isPositive) in [("positive", true), ("normal", false)] {
            guard let index = evaluationEntries.firstIndex(where: { ($0.label != .normal) == isPositive }) else { continue }
            let s = samples[index]
            cases[key] = try FigureGrid.caseRow(image: images[index], mask: s.mask, probability: s.probability,
                                                width: s.width, height: s.height, threshold: Float(configuration.threshold))
        }
        let seconds = metrics.compactMap { $0["seconds"] }
        let result = ArchitectureResult(
            architecture: arch.rawValue, parameters: trainer.model.weightCount,
            secondsPerEpoch: seconds.isEmpty ? nil : seconds.reduce(0, +) / Double(seconds.count),
            epochs: seconds.count, evaluation: evaluation,
            intensityCorrelation: IntensityCorrelation.meanOverNormalImages(samples: samples, images: images),
            initial: initial, trained: trained,
            probe: Dictionary(uniqueKeysWithValues: probe.map { ($0.input.rawValue, $0.measurement) }))
        return (result, cases)
    }

    /// Mean checkerboard scores over the measurement images (zero-padded on the right and
    /// bottom to the architecture's multiple, as the predictor does). The untrained network
    /// is measured with batch statistics (its running ones are placeholders), the trained one
    /// as it predicts, with its running statistics.
    private func measure(_ model: any SegmentationModel, batchStatistics: Bool) throws -> CheckerboardMeasurement {
        let multiple = model.architecture.sizeDivisor
        return CheckerboardMeasurement.mean(try measurementEntries.map { entry in
            let image = try dataset.loadImage(entry)
            let w = (image.width + multiple - 1) / multiple * multiple, h = (image.height + multiple - 1) / multiple * multiple
            var input = [Float](repeating: 0, count: w * h)
            let values = image.normalized()
            for y in 0..<image.height { for x in 0..<image.width { input[y * w + x] = values[y * image.width + x] } }
            return try CheckerboardMeasurement.measure(model: model, backend: backend, image: input, width: w, height: h,
                                                       batchStatistics: batchStatistics)
        })
    }

    /// The feature-map grid of `layer` for the first measurement image.
    private func writeFeatureFigure(_ model: any SegmentationModel, layer: String?, name: String) throws {
        guard let layer, let entry = measurementEntries.first else { return }
        let maps = try FeatureMaps.capture(model: model, backend: backend, image: dataset.loadImage(entry), layer: layer)
        try PNG.write(ComparisonFigures.featureGrid(maps), to: "\(figuresFolder)/features-\(name)-\(layer).png")
    }

    private func write(_ results: [ArchitectureResult]) throws {
        let c = settings.training
        let budget = c.timeBudgetSeconds.map { " (at most \(String(format: "%g", $0 / 60)) minutes each)" } ?? ""
        let description = "Data \(c.data), size \(c.size), width \(c.width), \(c.epochs) epochs\(budget) of batch \(c.batchSize), "
            + "Adam \(c.learningRate) ×\(c.decayFactor) every \(c.decayEvery) epochs, pos-weight \(c.positiveWeight), "
            + "seed \(c.seed), init \(c.initFrom ?? "random")\(c.freezeEncoder ? ", encoder frozen" : ""), "
            + "backend \(backend.name); evaluated on \(evaluationEntries.count) images, CEF measured on "
            + "\(measurementEntries.count) of them."
        try writeFileAtomically(Array(StudyTables.markdown(results, settings: description).utf8), to: markdownFile)
        try writeFileAtomically(StudyTables.table(results).json(), to: tableFile)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try writeFileAtomically(encoder.encode(results), to: resultsFile)
    }
}
