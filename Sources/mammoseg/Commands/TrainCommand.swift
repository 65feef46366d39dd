import ArgumentParser
import Foundation
import Mammography

struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train a network on a prepared dataset.",
        discussion: """
        Defaults are the study's recipe: Adam 7e-4 decayed ×0.85 every 10 epochs, pos-weight 18, flips on. \
        Writes RUN/config.json, metrics.csv, log.txt, report.html and checkpoints/epoch-NNN.safetensors plus \
        checkpoints/best.safetensors (best validation Dice; ROC AUC for the classifier), all atomically. \
        Ctrl-C stops after the current step and saves; --resume continues a stopped or killed run exactly \
        (bit for bit on the same machine with the same --threads). \
        --arch classifier trains the normal/abnormal classifier on crops labelled by their masks; pass its \
        checkpoint to --init of a segmenter to start from its encoder (add --freeze encoder to train only the rest).
        """)

    @Option(help: "Prepared dataset folder (from `mammoseg synth` or `mammoseg import`).")
    var data: String
    @Option(help: "Architecture: dilated-resize, dilated-transpose-first, fcn-transpose, fcn-transpose-bottleneck, fcn-hybrid, classifier.")
    var arch: String = "dilated-resize"
    @Option(help: "Run folder to write.")
    var out: String
    @Option(help: "Training crop size (multiple of 32; of 320 for the FCN family; checked against --arch).")
    var size: Int = 256
    @Option(help: "Channel width multiplier (1.0 = the study's network).")
    var width: Double = 0.25
    @Option(help: "Epochs.")
    var epochs: Int = 20
    @Option(help: "Batch size.")
    var batch: Int = 8
    @Option(help: "Adam learning rate.")
    var lr: Double = 7e-4
    @Option(name: .customLong("pos-weight"), help: "Loss weight of abnormal pixels.")
    var posWeight: Double = 18
    @Option(name: .customLong("weight-decay"), help: "L2 weight decay.")
    var weightDecay: Double = 0
    @Option(name: .customLong("decay-every"), help: "Epochs between learning-rate decays.")
    var decayEvery: Int = 10
    @Option(name: .customLong("decay-factor"), help: "Learning-rate decay factor.")
    var decayFactor: Double = 0.85
    @Option(help: "Random seed (initialisation, data order, augmentation).")
    var seed: UInt64 = 0
    @Option(name: .customLong("init"), help: "Initialise from a checkpoint (matching names and shapes), e.g. a classifier's.")
    var initFrom: String?
    @Option(help: "Freeze a part of the network: 'encoder'.")
    var freeze: String?
    @Flag(inversion: .prefixedNo, help: "Random horizontal and vertical flips.")
    var flips = true
    @Flag(help: "Random 90° rotations.")
    var rotations = false
    @Option(help: "Stop after this many minutes (saved; --resume continues).")
    var minutes: Double?
    @Flag(help: "Continue the run in --out from its latest checkpoint.")
    var resume = false
    @Option(name: .customLong("keep-checkpoints"), help: "Epoch checkpoints to keep (the newest; best is always kept); 0 keeps all.")
    var keepCheckpoints: Int = 5
    @OptionGroup var engine: BackendOptions

    func validate() throws {
        guard epochs >= 1, batch >= 1 else { throw ValidationError("--epochs and --batch must be at least 1") }
        guard lr > 0, posWeight > 0 else { throw ValidationError("--lr and --pos-weight must be positive") }
        guard width > 0 else { throw ValidationError("--width must be positive") }
        guard keepCheckpoints >= 0 else { throw ValidationError("--keep-checkpoints must be 0 (keep all) or more") }
        if let freeze, freeze != "encoder" { throw ValidationError("--freeze takes 'encoder', not '\(freeze)'") }
    }

    func configuration() -> TrainingConfiguration {
        var c = TrainingConfiguration(data: data, architecture: arch)
        c.size = size; c.width = width; c.epochs = epochs; c.batchSize = batch; c.learningRate = lr
        c.positiveWeight = posWeight; c.weightDecay = weightDecay; c.decayEvery = decayEvery; c.decayFactor = decayFactor
        c.seed = seed; c.initFrom = initFrom; c.freezeEncoder = freeze == "encoder"; c.threads = engine.threads
        c.flips = flips; c.rotations = rotations; c.timeBudgetSeconds = minutes.map { $0 * 60 }
        c.keepEpochCheckpoints = keepCheckpoints
        return c
    }

    func run() throws {
        do {
            let observer = ConsoleTrainingObserver()
            let trainer = try Trainer(configuration: configuration(), run: RunFolder(root: out),
                                      backend: engine.makeBackend(), resume: resume, observer: observer)
            StopSignal.install()
            trainer.shouldStop = { StopSignal.requested }
            let finished = try trainer.train()
            try trainer.writeReport()
            print(finished ? "trained: \(out)" : "stopped and saved: resume with `mammoseg train ... --out \(out) --resume`")
            print("best checkpoint: \(trainer.run.bestCheckpoint)\nreport: \(trainer.run.reportFile)")
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw fail(error)
        }
    }
}

/// Shows training on the terminal: a progress bar per epoch, a line of metrics after it.
final class ConsoleTrainingObserver: TrainingObserver {
    private var bar: ProgressBar?
    private var lossAverage: Float = 0

    func epochStarted(_ epoch: Int, of epochs: Int, batches: Int) {
        bar = ProgressBar(label: "epoch \(epoch)/\(epochs)", total: batches)
        lossAverage = 0
    }

    func stepFinished(epoch: Int, batch: Int, of batches: Int, loss: Float, imagesPerSecond: Double) {
        lossAverage = lossAverage == 0 ? loss : 0.9 * lossAverage + 0.1 * loss
        bar?.update(batch, detail: String(format: "%.1f img/s loss %.4f", imagesPerSecond, lossAverage))
    }

    func epochFinished(_ epoch: Int, metrics: [String: Double]) {
        let keys = ["train_loss", "val_dice", "val_fp_rate_normal", "val_auc_max", "val_auc", "val_accuracy", "seconds"]
        let shown = keys.compactMap { k in metrics[k].map { "\(k)=\(String(format: "%.4g", $0))" } }
        FileHandleOutput.stderr("epoch \(epoch): " + shown.joined(separator: " ") + "\n")
    }

    func message(_ line: String) { FileHandleOutput.stderr(line + "\n") }
}
