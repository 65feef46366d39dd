import ArgumentParser
import Engine
import Foundation
import MammoData
import Mammography

struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "The main job on synthetic data: generate, train, evaluate, predict, report.",
        discussion: """
        1. Generates --count synthetic mammograms (--image-size², about half normal) into OUT/data.
        2. Trains the study's final network (dilated-resize) for at most --minutes of training, keeping the \
        checkpoint with the best validation Dice (OUT/run).
        3. Evaluates that checkpoint on the held-out test split (OUT/evaluation.json) and prints Dice on \
        positive images and the false-positive rate on normal images.
        4. Writes probability heatmaps of a few test images (OUT/predictions) and the run's report.html.

        The recipe suits a laptop CPU: --size 128 crops of 256² images (half of them centred on a lesion), \
        width 0.25, batch 8, Adam 2e-3 after a 100-step linear warm-up, decayed ×0.85 every 40 epochs (an epoch \
        here is only 35 steps), the study's pos-weight 18, flips on, no scale jitter, 8 minutes of training; the checkpoint with the \
        best validation Dice is kept. When standard output is not a terminal, one line per epoch goes there.
        """)

    @Option(help: "Output folder.") var out: String = "demo-out"
    @Option(help: "Training budget in minutes (wall clock, checked between steps).") var minutes: Double = 8
    @Option(help: "Synthetic images to generate.") var count: Int = 400
    @Option(name: .customLong("image-size"), help: "Synthetic image size.") var imageSize: Int = 256
    @Option(help: "Training crop size.") var size: Int = 128
    @Option(help: "Width multiplier.") var width: Double = 0.25
    @Option(help: "Batch size.") var batch: Int = 8
    @Option(help: "Learning rate.") var lr: Double = 2e-3
    @Option(name: .customLong("pos-weight"), help: "Loss weight of abnormal pixels.") var posWeight: Double = 18
    @Option(name: .customLong("decay-every"), help: "Epochs between learning-rate decays (×0.85).") var decayEvery: Int = 40
    @Option(help: "Maximum epochs (the time budget usually ends training first).") var epochs: Int = 2000
    @Option(help: "Random seed.") var seed: UInt64 = 1
    // Off in the demo: in a budget of minutes the study's ±0.2 rescale slowed learning on the
    // phantoms for MammoSeg and the PyTorch reference alike (validation Dice still 0 after 26–60 epochs).
    @Option(name: .customLong("scale-jitter"), help: "Rescale each crop by a random factor in [1 − j, 1 + j] (0 = off; the study's 0.2 pays in longer runs).")
    var scaleJitter: Double = 0
    @Option(name: .customLong("warmup-steps"), help: "Steps of linear learning-rate warm-up (0 = none).") var warmupSteps: Int = 100
    @Option(name: .customLong("clip-grad-norm"), help: "Clip the gradients' global L2 norm to this value (default: no clipping).")
    var clipGradNorm: Double?
    @Option(name: .customLong("ema"), help: "Validate and keep an exponential moving average of the weights with this decay (default: off).")
    var ema: Double?
    @OptionGroup var engine: BackendOptions

    func validate() throws {
        try FlagCheck.number(minutes, "--minutes", above: 0, atMost: 1e7)
        try FlagCheck.integer(count, "--count", in: 20...1_000_000)
        try FlagCheck.integer(imageSize, "--image-size", in: 32...SyntheticDataset.maximumSize)
        try FlagCheck.integer(size, "--size", in: 32...8192)
        try FlagCheck.width(width)
        try FlagCheck.integer(batch, "--batch", in: 1...FlagCheck.maximumBatch)
        try FlagCheck.number(lr, "--lr", above: 0, atMost: 10)
        try FlagCheck.number(posWeight, "--pos-weight", above: 0, atMost: 1e6)
        try FlagCheck.integer(decayEvery, "--decay-every", in: 1...FlagCheck.maximumCount)
        try FlagCheck.integer(epochs, "--epochs", in: 1...FlagCheck.maximumCount)
        try FlagCheck.integer(warmupSteps, "--warmup-steps", in: 0...FlagCheck.maximumCount)
        try FlagCheck.number(scaleJitter, "--scale-jitter", above: 0, atMost: 0.9, includingLow: true)
        if let clipGradNorm { try FlagCheck.number(clipGradNorm, "--clip-grad-norm", above: 0, atMost: 1e9) }
        if let ema { try FlagCheck.number(ema, "--ema", above: 0, atMost: 1) }
        if let ema, ema >= 1 { throw ValidationError("--ema must be below 1 (got \(ema)); 0.99–0.9999 are usual") }
    }

    func run() throws {
        do {
            let started = Date()
            let data = out + "/data", runFolder = out + "/run", predictions = out + "/predictions"
            try createOutputFolder(out)
            if (try? PreparedDataset(root: data)) == nil {
                var options = SyntheticDataset.Options()
                options.count = count; options.size = imageSize; options.seed = seed
                let bar = ProgressBar(label: "synthesize", total: count)
                let counter = Counter()
                try SyntheticDataset.write(to: data, options: options, overwrite: true) { bar.update(counter.increment()) }
            } else {
                FileHandleOutput.stderr("using the existing synthetic dataset in \(data)\n")
            }

            var c = TrainingConfiguration(data: data, architecture: "dilated-resize")
            c.size = size; c.width = width; c.batchSize = batch; c.learningRate = lr; c.positiveWeight = posWeight
            c.decayEvery = decayEvery
            c.warmupSteps = warmupSteps; c.clipGradientNorm = clipGradNorm; c.emaDecay = ema
            c.scaleJitter = scaleJitter
            c.epochs = epochs; c.seed = seed; c.threads = engine.threads; c.timeBudgetSeconds = minutes * 60
            let backend = try engine.makeBackend()
            try? FileManager.default.removeItem(atPath: runFolder)
            let observer = ConsoleTrainingObserver()  // held here: the trainer keeps a weak reference
            let trainer = try Trainer(configuration: c, run: RunFolder(root: runFolder), backend: backend, resume: false,
                                      observer: observer)
            StopSignal.install()
            trainer.shouldStop = { StopSignal.requested }
            try trainer.train()
            try trainer.writeReport()  // loads the best checkpoint into the model
            if let warning = trainer.learningWarning { warn(warning) }
            withExtendedLifetime(observer) {}

            let dataset = try PreparedDataset(root: data)
            let test = dataset.entries(split: .test)
            let bar = ProgressBar(label: "evaluate", total: test.count)
            let report = try SegmentationEvaluation.evaluate(model: trainer.model, backend: backend, dataset: dataset,
                                                             entries: test, size: size, bootstrapReplicates: 2000,
                                                             seed: seed) { done, _ in bar.update(done) }
            try writeFileAtomically(report.json(), to: out + "/evaluation.json")
            print(report.textTable())

            try createOutputFolder(predictions)
            let predictor = Predictor(model: trainer.model, backend: backend, tileSize: size)
            for entry in test.filter({ $0.label != .normal }).prefix(2) + test.filter({ $0.label == .normal }).prefix(2) {
                let image = try dataset.loadImage(entry)
                let input = image.normalized()
                let p = try predictor.probability(image: input, width: image.width, height: image.height)
                try PNG.write(Heatmap.overlay(image: input, probability: p, width: image.width, height: image.height),
                              to: "\(predictions)/\(entry.id)_heatmap.png")
            }
            let dice = report.segmentation.pooledDice.map { String(format: "%.3f", $0) } ?? "n/a"
            let fp = report.negativeImages.falsePositiveRate.map { String(format: "%.3f %%", 100 * $0) } ?? "n/a"
            let fpConfounders = report.negativeImages.confounderFalsePositiveRate.map { String(format: "%.3f %%", 100 * $0) } ?? "n/a"
            print("""

            demo finished in \(ProgressBar.clock(Date().timeIntervalSince(started)))
              test Dice on positive images: \(dice)
              false-positive pixel rate on normal images: \(fp)
              false-positive pixel rate on their confounders: \(fpConfounders)
              data:        \(data)
              run:         \(runFolder) (metrics.csv, checkpoints/best.safetensors)
              report:      \(runFolder)/report.html
              evaluation:  \(out)/evaluation.json
              heatmaps:    \(predictions)
            """)
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw fail(error)
        }
    }
}

/// A thread-safe counter for progress callbacks that arrive from worker threads.
final class Counter: @unchecked Sendable {
    private var value = 0
    private let lock = NSLock()
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}
