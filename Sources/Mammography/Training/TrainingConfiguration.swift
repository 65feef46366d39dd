import Foundation

/// Everything that defines a training run; saved as `RUN/config.json` and checked on
/// `--resume` so a resumed run continues the same experiment.
///
/// Defaults are the study's recipe: Adam 7e-4, ×0.85 every 10 epochs, pos-weight 18, flips on.
public struct TrainingConfiguration: Codable, Equatable, Sendable {
    public var data: String
    public var architecture: String
    public var size: Int = 256
    public var width: Double = 0.25
    public var epochs: Int = 20
    public var batchSize: Int = 8
    public var learningRate: Double = 7e-4
    public var positiveWeight: Double = 18
    public var weightDecay: Double = 0
    public var decayEvery: Int = 10
    public var decayFactor: Double = 0.85
    public var seed: UInt64 = 0
    public var initFrom: String? = nil
    public var freezeEncoder: Bool = false
    public var threads: Int? = nil
    public var flips: Bool = true
    public var rotations: Bool = false
    /// Fraction of training crops centred on a lesion (positive images only).
    public var lesionCropFraction: Double = 0.5
    /// Probability threshold for hard masks in validation metrics.
    public var threshold: Double = 0.5
    /// Stop after this many seconds of training (checked between steps); nil = no limit.
    public var timeBudgetSeconds: Double? = nil
    /// Epoch checkpoints kept on disk (the newest ones; best.safetensors is always kept);
    /// nil or 0 keeps all. Short epochs would otherwise fill the disk (a demo run wrote 3.8 GB).
    public var keepEpochCheckpoints: Int? = 5
    /// Steps of linear learning-rate warm-up: step s (from 0) trains at lr·min(1, (s + 1)/N);
    /// 0 switches it off. nil in runs made before warm-up existed (they had none).
    public var warmupSteps: Int? = 100
    /// Largest global L2 norm of the gradients; larger ones are scaled down to it (PyTorch's
    /// `clip_grad_norm_`). nil = no clipping.
    public var clipGradientNorm: Double? = nil
    /// Decay of an exponential moving average of the weights, used for validation and kept as
    /// the best checkpoint. nil = off.
    public var emaDecay: Double? = nil
    /// Crops are rescaled by a factor drawn from [1 − j, 1 + j] (the study's scale jitter, 0.2);
    /// 0 switches it off. nil in runs made before the option existed (they had 0.2).
    public var scaleJitter: Double? = 0.2
    /// The jitter actually used: a run saved before the option existed had the study's 0.2.
    public var effectiveScaleJitter: Double { scaleJitter ?? 0.2 }
    /// Processes of an `mpirun` job (data parallel; `batchSize` is per process, so each step
    /// sees `processes × batchSize` samples). nil: one process.
    public var processes: Int? = nil
    /// Batch-norm statistics over the global batch of all processes (`--sync-batchnorm`);
    /// nil: per process, as PyTorch's DDP. Means nothing with one process.
    public var syncBatchNorm: Bool? = nil

    public init(data: String, architecture: String) {
        self.data = data
        self.architecture = architecture
    }

    /// The fields that must agree for `--resume` (budget and threads may change).
    public func sameExperiment(as other: TrainingConfiguration) -> Bool {
        differences(from: other).isEmpty
    }

    /// The config.json keys whose values differ from `other`'s, sorted, leaving out those a
    /// resumed run may change (epochs, threads, time budget, checkpoints kept); empty for the same experiment.
    public func differences(from other: TrainingConfiguration) -> [String] {
        func fields(_ c: TrainingConfiguration) -> [String: String] {
            var c = c
            c.epochs = 0; c.threads = nil; c.timeBudgetSeconds = nil; c.keepEpochCheckpoints = nil
            c.warmupSteps = c.warmupSteps ?? 0  // a run saved before warm-up existed had none
            c.scaleJitter = c.effectiveScaleJitter
            if c.processes == 1 { c.processes = nil }
            if c.syncBatchNorm == false || (c.processes ?? 1) == 1 { c.syncBatchNorm = nil }
            let object = (try? JSONSerialization.jsonObject(with: JSONEncoder().encode(c))) as? [String: Any] ?? [:]
            return object.mapValues { "\($0)" }
        }
        let a = fields(self), b = fields(other)
        return Set(a.keys).union(b.keys).filter { a[$0] != b[$0] }.sorted()
    }
}
