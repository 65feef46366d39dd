import ArgumentParser
import Foundation
import Mammography
import Engine

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
        checkpoint to --init of a segmenter to start from its encoder (add --freeze encoder to train only the rest). \
        Under `mpirun -np N` the N processes train one network data-parallel: --batch is per process (each step \
        sees N × batch samples, the same ones one process with that batch would), gradients are averaged, \
        process 0 writes the run folder; --data and --out must be the same files on every node (docs/scaling.md).
        """)

    @Option(help: "Prepared dataset folder (from `mammoseg synth` or `mammoseg import`).")
    var data: String
    @Option(help: "Architecture: dilated-resize, dilated-transpose-first, fcn-transpose, fcn-transpose-bottleneck, fcn-hybrid, classifier.")
    var arch: String = "dilated-resize"
    @Option(help: "Run folder to write.")
    var out: String
    @Option(help: "Training crop size (multiple of 32; of 320 for the FCN family; checked against --arch).")
    var size: Int = 256
    @OptionGroup var recipe: RecipeOptions
    @Option(help: "Stop after this many minutes (saved; --resume continues).")
    var minutes: Double?
    @Flag(help: "Continue the run in --out from its latest checkpoint.")
    var resume = false
    @Option(name: .customLong("keep-checkpoints"), help: "Epoch checkpoints to keep (the newest; best is always kept); 0 keeps all.")
    var keepCheckpoints: Int = 5
    @Flag(name: .customLong("sync-batchnorm"), help: "Under mpirun: batch-norm statistics over all processes' batches (default: per process).")
    var syncBatchNorm = false
    @OptionGroup var parallel: ReplicaOptions
    @OptionGroup var engine: BackendOptions
    @OptionGroup var limits: ReadLimitOptions

    func validate() throws {
        guard keepCheckpoints >= 0 else { throw ValidationError("--keep-checkpoints must be 0 (keep all) or more") }
        if let minutes { try FlagCheck.number(minutes, "--minutes", above: 0, atMost: 1e7) }
    }

    func configuration(processes: Int = 1) -> TrainingConfiguration {
        var c = TrainingConfiguration(data: data, architecture: arch)
        recipe.apply(to: &c)
        c.size = size; c.threads = engine.threads; c.timeBudgetSeconds = minutes.map { $0 * 60 }
        c.keepEpochCheckpoints = keepCheckpoints
        if processes > 1 {
            c.processes = processes
            c.syncBatchNorm = syncBatchNorm ? true : nil
        }
        return c
    }

    func run() throws {
        // MPI starts only under an MPI launcher; a plain run never touches it.
        let (replicas, mpi) = try parallel.start()
        do {
            // Process 0 speaks for the job; the others train silently.
            let observer = replicas.isRoot ? ConsoleTrainingObserver() : nil
            let trainer = try Trainer(configuration: configuration(processes: replicas.count), run: RunFolder(root: out),
                                      backend: engine.makeBackend(), resume: resume, observer: observer, replicas: replicas)
            StopSignal.install()
            trainer.shouldStop = { StopSignal.requested }
            let finished = try trainer.train()
            if replicas.isRoot {
                try trainer.writeReport()
                print(finished ? "trained: \(out)" : "stopped and saved: resume with `mammoseg train ... --out \(out) --resume`")
                print("best checkpoint: \(trainer.run.bestCheckpoint)\nreport: \(trainer.run.reportFile)")
                if finished, let warning = trainer.learningWarning { warn(warning) }
            }
            try mpi?.finish()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            // The other processes would wait for this one until their deadline: end them all now.
            if let mpi, mpi.count > 1 { mpi.abort("\(error)") }
            throw fail(error)
        }
    }
}

/// Shows training: on a terminal a progress bar per epoch and a line of metrics after it (on
/// stderr); when stdout is not a terminal (nohup, CI) one flushed line per epoch on stdout —
/// loss, validation metrics, the epoch's time and the time since training started — so logs
/// show progress.
final class ConsoleTrainingObserver: TrainingObserver {
    private var bar: ProgressBar?
    private var lossAverage: Float = 0
    private var epochs = 0
    private let started = Date()
    private let stdoutIsTerminal = isatty(STDOUT_FILENO) != 0

    func epochStarted(_ epoch: Int, of epochs: Int, batches: Int) {
        self.epochs = epochs
        bar = ProgressBar(label: "epoch \(epoch)/\(epochs)", total: batches)
        lossAverage = 0
    }

    func stepFinished(epoch: Int, batch: Int, of batches: Int, loss: Float, imagesPerSecond: Double) {
        lossAverage = lossAverage == 0 ? loss : 0.9 * lossAverage + 0.1 * loss
        bar?.update(batch, detail: String(format: "%.1f img/s loss %.4f", imagesPerSecond, lossAverage))
    }

    func epochFinished(_ epoch: Int, metrics: [String: Double]) {
        let line = Self.epochLine(epoch, of: epochs, metrics: metrics, elapsed: Date().timeIntervalSince(started))
        if stdoutIsTerminal {
            FileHandleOutput.stderr(line + "\n")
        } else {
            print(line)
            fflush(stdout)
        }
    }

    /// `epoch 3/20: train_loss=0.41 val_dice=0.37 ... seconds=12.1 elapsed=0:37`.
    static func epochLine(_ epoch: Int, of epochs: Int, metrics: [String: Double], elapsed: Double) -> String {
        let keys = ["train_loss", "val_dice", "val_fp_rate_normal", "val_auc_max", "val_auc", "val_accuracy",
                    "learning_rate", "seconds"]
        let shown = keys.compactMap { k in metrics[k].map { "\(k)=\(String(format: "%.4g", $0))" } }
        let total = epochs > 0 ? "/\(epochs)" : ""
        return "epoch \(epoch)\(total): " + shown.joined(separator: " ") + " elapsed=\(ProgressBar.clock(elapsed))"
    }

    func message(_ line: String) { FileHandleOutput.stderr(line + "\n") }
}
