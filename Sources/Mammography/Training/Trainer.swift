import Foundation
import Engine
import MammoData

/// What a trainer tells whoever shows progress (the CLI's progress bar, a test).
public protocol TrainingObserver: AnyObject {
    func epochStarted(_ epoch: Int, of epochs: Int, batches: Int)
    func stepFinished(epoch: Int, batch: Int, of batches: Int, loss: Float, imagesPerSecond: Double)
    func epochFinished(_ epoch: Int, metrics: [String: Double])
    func message(_ line: String)
}

/// Trains one architecture on a prepared dataset into a run folder, epoch by epoch:
/// shuffled augmented crops → forward → weighted cross-entropy → backward → Adam,
/// then validation, `metrics.csv`, a checkpoint per epoch and `best.safetensors`
/// (by validation Dice; by ROC AUC for the classifier). Everything that decides the
/// numbers is a function of the configuration and `seed`, so a resumed run ends with the
/// same weights as an uninterrupted one.
public final class Trainer {
    public let configuration: TrainingConfiguration
    public let run: RunFolder
    public let backend: Backend
    public let model: any SegmentationModel
    public let optimizer: Adam
    public let dataset: PreparedDataset
    public weak var observer: TrainingObserver?
    /// The processes of a data-parallel job (`mpirun`), or this one alone. Replica 0 alone
    /// writes the run folder; every replica computes gradients on its shard of each global
    /// batch and applies the same averaged Adam step.
    public let replicas: ReplicaGroup
    /// Polled between steps; when it turns true the trainer saves and returns (Ctrl-C).
    public var shouldStop: () -> Bool = { false }

    private(set) var startEpoch = 0
    private(set) var startBatch = 0
    private var metrics: [[String: Double]] = []
    private var bestScore = -Double.infinity
    /// Loss sum and step count of the epoch in progress when an interrupted run was saved.
    private var resumedLossSum: Double = 0
    private var resumedSteps = 0
    private let loader: TrainingLoader
    private let schedule: LearningRateSchedule
    /// The moving average of the weights, when `emaDecay` is set.
    public let weightAverage: WeightAverage?
    /// The first epoch whose every training step produced a constant output (collapse), if any.
    public private(set) var collapsedEpoch: Int?
    /// Whether every step of the epoch in progress has produced a constant output so far.
    private var constantThisEpoch = true
    /// When `train` started (for the time budget); whether, after the last step, a stop was
    /// requested and the budget was spent (on any replica: all act on the same answer).
    private var trainingStarted = Date()
    private var stopRequested = false
    private var outOfTime = false
    /// Seconds this epoch spent averaging gradients (packing, the all-reduce, unpacking).
    private var allReduceSeconds = 0.0

    /// Prepares a new run (`resume == false`: writes config.json, applies `--init` and
    /// `--freeze`) or reopens a killed one from its latest checkpoint.
    public init(configuration: TrainingConfiguration, run: RunFolder, backend: Backend, resume: Bool,
                observer: TrainingObserver? = nil, replicas: ReplicaGroup = SingleReplica()) throws {
        self.observer = observer
        self.replicas = replicas
        guard (configuration.processes ?? 1) == replicas.count else {
            throw TrainingError.configuration("the configuration is for \(configuration.processes ?? 1) processes but "
                + "\(replicas.count) are running; start the job with mpirun -np \(configuration.processes ?? 1)")
        }
        let architecture = try Architecture(named: configuration.architecture)
        try architecture.validate(inputSize: configuration.size)
        self.run = run
        self.backend = backend
        var configuration = configuration
        if resume {
            let saved = try run.readConfig()
            let changed = saved.differences(from: configuration)
            guard changed.isEmpty else {
                throw TrainingError.configuration("\(run.configFile): --resume with settings the run was not started with "
                    + "(\(changed.joined(separator: ", "))); use the run's options or a new --out")
            }
            configuration.epochs = max(configuration.epochs, saved.epochs)
            if saved.threads != configuration.threads {
                // oneDNN's sums run in a thread-count-dependent order (measured: 269 of 271 tensors
                // differ after one epoch with 1 vs 4 threads), so the continuation is close, not equal.
                observer?.message("note: --threads \(configuration.threads.map(String.init) ?? "(all cores)") differs from the run's "
                    + "\(saved.threads.map(String.init) ?? "(all cores)"); the resumed run will not be bit-identical to an uninterrupted one")
            }
        }
        self.configuration = configuration
        schedule = try LearningRateSchedule(base: Float(configuration.learningRate), factor: Float(configuration.decayFactor),
                                            every: configuration.decayEvery)
        dataset = try PreparedDataset(root: configuration.data)
        guard !dataset.entries(split: .train).isEmpty else {
            throw TrainingError.configuration("\(configuration.data): no images in the train split; check manifest.csv")
        }
        // All-normal training data teaches "never a lesion": the loss falls to nothing, the
        // network learns nothing, and the run would look finished. Say so before hours are spent.
        guard dataset.entries(split: .train).contains(where: { $0.label != .normal }) else {
            throw TrainingError.configuration("\(configuration.data)/\(Manifest.fileName): no image in the train split has a lesion "
                + "(every label is normal), so there is nothing to learn; import or synthesize a dataset with abnormal images")
        }
        // Header reads only: a mismatched pair fails now rather than hours into training.
        try dataset.checkImageAndMaskSizes(dataset.entries(split: .train) + dataset.entries(split: .val))
        model = try makeModel(architecture, width: configuration.width, seed: configuration.seed)
        optimizer = Adam(learningRate: Float(configuration.learningRate), weightDecay: Float(configuration.weightDecay))
        let initialParameters = model.parameters
        weightAverage = configuration.emaDecay.map { WeightAverage(decay: $0, parameters: initialParameters) }
        var loaderConfiguration = Self.loaderConfiguration(configuration)
        loaderConfiguration.replicaRank = replicas.rank
        loaderConfiguration.replicaCount = replicas.count
        loader = try TrainingLoader(dataset: dataset, split: .train, configuration: loaderConfiguration)
        if !resume, let existing = run.epochCheckpoints().last?.path
            ?? (FileManager.default.fileExists(atPath: run.interruptedCheckpoint) ? run.interruptedCheckpoint : nil) {
            // A fresh run would mix its checkpoints with the old ones, and a later --resume
            // would continue from whichever epoch is newest.
            throw TrainingError.runFolder(run.root, "holds a training run already (\(existing)); add --resume to continue it, "
                + "or choose a new --out")
        }
        if replicas.isRoot { try run.create() }
        if resume {
            try restoreLatestCheckpoint()
        } else {
            if replicas.isRoot { try run.writeConfig(configuration) }
            if let source = configuration.initFrom {
                // From the classifier only the encoder carries over (its logits mean something else).
                let fromClassifier = (try Checkpoint.load(source)).architecture == Architecture.classifier.rawValue
                let prefix = fromClassifier && architecture.isSegmenter ? "encoder." : ""
                let report = try initialize(model, from: source, prefix: prefix)
                let summary = report.summary(file: source)
                log(summary)
                observer?.message(summary)
            }
            if configuration.freezeEncoder { model.setEncoderFrozen(true) }
            // The average starts from the weights training starts from.
            if configuration.initFrom != nil, let average = weightAverage {
                average.load(WeightAverage(decay: average.decay, parameters: model.parameters).stateTensors(model.parameters),
                             parameters: model.parameters)
            }
        }
        if replicas.count > 1 {
            let line = "data parallel: \(replicas.count) processes × batch \(configuration.batchSize) = effective batch "
                + "\(loader.globalBatchSize); batch norm \(configuration.syncBatchNorm == true ? "over the global batch" : "per process")"
            log(line)
            observer?.message(line)
            try checkReplicasAgree()
        }
    }

    /// Appends to log.txt on replica 0 (the only one that writes the run folder).
    private func log(_ line: String) {
        if replicas.isRoot { run.log(line) }
    }

    /// Every replica must start from the same weights and position (the run folder and the
    /// --init checkpoint have to be the same files on every node); a cheap fingerprint
    /// compared across replicas catches a node that read something else.
    private func checkReplicasAgree() throws {
        var fingerprint = 0.0
        for p in model.parameters { for (i, v) in p.value.scalars.enumerated() { fingerprint += Double(v) * Double(i % 7 + 1) } }
        let mine = [fingerprint, Double(startEpoch), Double(startBatch)]
        var sums = mine + mine.map { $0 * $0 }
        try replicas.sum(&sums, "the start-up check")
        let n = Double(replicas.count)
        for k in 0..<mine.count {
            let mean = sums[k] / n, spread = sums[k + mine.count] / n - mean * mean
            guard spread <= 1e-9 * max(1, mean * mean) else {
                throw TrainingError.configuration("the \(replicas.count) processes did not start from the same weights or "
                    + "checkpoint; --data, --out and --init must name the same files on every node (a shared filesystem)")
            }
        }
    }

    static func loaderConfiguration(_ c: TrainingConfiguration) -> LoaderConfiguration {
        var o = LoaderConfiguration(size: c.size, batchSize: c.batchSize, seed: c.seed)
        o.horizontalFlips = c.flips
        o.verticalFlips = c.flips
        o.rotations = c.rotations
        o.lesionCropFraction = c.lesionCropFraction
        o.scaleRange = (1 - c.effectiveScaleJitter)...(1 + c.effectiveScaleJitter)
        return o
    }

    public func learningRate(epoch: Int) -> Float {
        schedule.learningRate(epoch: epoch)
    }

    /// The rate of global step `step` (from 0) in `epoch`: the epoch's rate times the linear
    /// warm-up factor min(1, (step + 1)/warmupSteps).
    public func learningRate(epoch: Int, step: Int) -> Float {
        learningRate(epoch: epoch) * Float(Self.warmupFactor(step: step, warmupSteps: configuration.warmupSteps ?? 0))
    }

    static func warmupFactor(step: Int, warmupSteps: Int) -> Double {
        warmupSteps > 0 ? min(1, Double(step + 1) / Double(warmupSteps)) : 1
    }

    /// Trains until `configuration.epochs`, the time budget, or `shouldStop`.
    /// Returns true when every epoch finished.
    @discardableResult
    public func train() throws -> Bool {
        let started = Date()
        trainingStarted = started
        let perEpoch = loader.batchesPerEpoch
        for epoch in startEpoch..<configuration.epochs {
            optimizer.learningRate = learningRate(epoch: epoch, step: epoch * perEpoch + (epoch == startEpoch ? startBatch : 0))
            constantThisEpoch = true
            allReduceSeconds = 0
            observer?.epochStarted(epoch + 1, of: configuration.epochs, batches: perEpoch)
            let epochStart = Date()
            let resuming = epoch == startEpoch && startBatch > 0
            var lossSum = resuming ? resumedLossSum : 0, steps = resuming ? resumedSteps : 0
            let batches = loader.batches(epoch: epoch, startingAt: epoch == startEpoch ? startBatch : 0)
            defer { batches.cancel() }
            while let batch = try batches.next() {
                let batchIndex = batch.index
                let stepStart = Date()
                optimizer.learningRate = learningRate(epoch: epoch, step: epoch * perEpoch + batchIndex)
                let loss = try step(batch)
                lossSum += Double(loss); steps += 1
                observer?.stepFinished(epoch: epoch + 1, batch: batchIndex + 1, of: perEpoch, loss: loss,
                                       imagesPerSecond: Double(batch.count * replicas.count) / Date().timeIntervalSince(stepStart))
                if stopRequested || (outOfTime && batchIndex + 1 < perEpoch) {
                    if replicas.isRoot {
                        try saveCheckpoint(to: run.interruptedCheckpoint, epoch: epoch, nextBatch: batchIndex + 1,
                                           epochLoss: (lossSum, steps))
                    }
                    log("stopped in epoch \(epoch + 1) after batch \(batchIndex + 1); resume with --resume")
                    return false
                }
            }
            let seconds = Date().timeIntervalSince(epochStart)
            if constantThisEpoch && steps > 0 && collapsedEpoch == nil && model.architecture != .classifier {
                collapsedEpoch = epoch + 1
                let line = "warning: epoch \(epoch + 1): the network's output was the same for every pixel of every crop "
                    + "(training collapsed: dead ReLUs); it will not learn from here. Stop and train again with "
                    + "--warmup-steps, --clip-grad-norm, a lower --lr or another --seed"
                log(line)
                observer?.message(line)
            }
            weightAverage?.swap(model.parameters)
            try shareBatchNormStatistics()
            var row = try validate()
            weightAverage?.swap(model.parameters)
            row["epoch"] = Double(epoch + 1)
            row["train_loss"] = steps > 0 ? lossSum / Double(steps) : .nan
            row["learning_rate"] = Double(optimizer.learningRate)
            row["seconds"] = seconds
            if replicas.count > 1 { row["allreduce_seconds"] = allReduceSeconds }
            metrics.removeAll { Int($0["epoch"] ?? -1) == epoch + 1 }
            metrics.append(row)
            if replicas.isRoot { try finishEpoch(epoch, row: row) }
            observer?.epochFinished(epoch + 1, metrics: row)
            if try agree(configuration.timeBudgetSeconds.map({ Date().timeIntervalSince(started) > $0 }) ?? false,
                         "the end of epoch \(epoch + 1)") {
                log("time budget reached after epoch \(epoch + 1)")
                return epoch + 1 == configuration.epochs
            }
        }
        return true
    }

    /// One optimisation step on a batch; returns the loss.
    public func step(_ batch: Batch) throws -> Float {
        let ctx = Context(backend: backend, training: true)
        if configuration.syncBatchNorm == true, replicas.count > 1 { ctx.batchNormReplicas = replicas }
        let x = try ctx.input(HostTensor(shape: [batch.count, 1, batch.size, batch.size], scalars: batch.images))
        let logits = try model(x, ctx)
        let labels: [UInt8]
        var positiveWeight = Float(configuration.positiveWeight)
        if model.architecture == .classifier {
            // A crop is abnormal when any of its mask pixels is.
            let plane = batch.size * batch.size
            labels = (0..<batch.count).map { n in batch.labels[(n * plane)..<((n + 1) * plane)].contains { $0 != 0 } ? 1 : 0 }
            positiveWeight = 1
        } else {
            labels = batch.labels
        }
        if constantThisEpoch, model.architecture != .classifier,
           !Self.isConstant(try backend.download(logits.value)) { constantThisEpoch = false }
        var loss = try Op.weightedCrossEntropyBackward(logits, labels: labels, positiveWeight: positiveWeight, ctx)
        stopRequested = shouldStop()
        outOfTime = configuration.timeBudgetSeconds.map { Date().timeIntervalSince(trainingStarted) > $0 } ?? false
        if replicas.count > 1 {
            let started = Date()
            (loss, stopRequested, outOfTime) = try averageGradients(loss: loss, stopRequested, outOfTime)
            allReduceSeconds += Date().timeIntervalSince(started)
        }
        guard loss.isFinite else {
            throw TrainingError.configuration("training diverged (loss \(loss)) in a batch of \(batch.ids.joined(separator: ",")); "
                + "lower --lr or --pos-weight, or add --clip-grad-norm")
        }
        if let maxNorm = configuration.clipGradientNorm {
            Self.clipGradients(model.parameters.filter(Adam.updates), maxNorm: maxNorm)
        }
        optimizer.update(model.parameters)
        weightAverage?.update(model.parameters)
        return loss
    }

    /// Replaces every trainable gradient by its mean over the replicas, in one all-reduce that
    /// also carries the loss (so every replica logs, and checks for divergence, the global
    /// batch's loss) and the stop requests (so all stop after the same step).
    private func averageGradients(loss: Float, _ stop: Bool, _ outOfTime: Bool) throws -> (Float, Bool, Bool) {
        let trained = model.parameters.filter(Adam.updates)
        var buffer: [Float] = []
        buffer.reserveCapacity(trained.reduce(3) { $0 + $1.value.count })
        for p in trained { buffer += p.gradient.scalars }
        buffer += [loss, stop ? 1 : 0, outOfTime ? 1 : 0]
        try replicas.sum(&buffer, "the gradient all-reduce")
        let scale = 1 / Float(replicas.count)
        var offset = 0
        for p in trained {
            let n = p.value.count
            p.gradient = HostTensor(shape: p.shape, scalars: buffer[offset..<(offset + n)].map { $0 * scale })
            offset += n
        }
        return (buffer[offset] * scale, buffer[offset + 1] > 0, buffer[offset + 2] > 0)
    }

    /// Whether any replica says yes (every replica gets the same answer).
    private func agree(_ yes: Bool, _ what: String) throws -> Bool {
        guard replicas.count > 1 else { return yes }
        var vote: [Double] = [yes ? 1 : 0]
        try replicas.sum(&vote, what)
        return vote[0] > 0
    }

    /// Per-process batch norm (the default) leaves each replica with running statistics of its
    /// own shards; replica 0's, the ones its checkpoints hold, are given to all before validation
    /// so the split validation uses one network (PyTorch's DDP broadcasts them the same way).
    private func shareBatchNormStatistics() throws {
        guard replicas.count > 1, configuration.syncBatchNorm != true else { return }
        let buffers = model.parameters.filter { $0.kind == .buffer }
        var values = buffers.flatMap { $0.value.scalars }
        try replicas.broadcast(&values, from: 0, "the batch-norm statistics")
        var offset = 0
        for p in buffers {
            p.value.scalars = Array(values[offset..<(offset + p.value.count)])
            offset += p.value.count
        }
    }

    /// Whether logits `[N, 2, H, W]` give the same class-1 margin (logit₁ − logit₀) at every
    /// pixel of every image: a collapsed network (dead ReLUs) outputs only its last bias.
    static func isConstant(_ logits: HostTensor) -> Bool {
        guard logits.shape.count == 4, logits.shape[1] == 2 else { return false }
        let n = logits.shape[0], plane = logits.shape[2] * logits.shape[3]
        var low = Float.infinity, high = -Float.infinity
        logits.scalars.withUnsafeBufferPointer { v in
            for image in 0..<n {
                let base = image * 2 * plane
                for i in 0..<plane {
                    let margin = v[base + plane + i] - v[base + i]
                    low = min(low, margin); high = max(high, margin)
                }
            }
        }
        return high - low <= 1e-5 * max(1, abs(high))
    }

    /// Scales the gradients so their global L2 norm is at most `maxNorm`, as PyTorch's
    /// `clip_grad_norm_` (coefficient maxNorm/(norm + 1e-6), applied only when below 1).
    /// Returns the norm before clipping.
    @discardableResult
    static func clipGradients(_ parameters: [Parameter], maxNorm: Double) -> Double {
        var sum = 0.0
        for p in parameters { for g in p.gradient.scalars { sum += Double(g) * Double(g) } }
        let norm = sum.squareRoot()
        let coefficient = maxNorm / (norm + 1e-6)
        guard coefficient < 1 else { return norm }
        for p in parameters {
            var g = p.gradient
            let c = Float(coefficient)
            for i in g.scalars.indices { g.scalars[i] *= c }
            p.gradient = g
        }
        return norm
    }

    /// Validation metrics of the current weights.
    public func validate() throws -> [String: Double] {
        let entries = dataset.entries(split: .val)
        guard !entries.isEmpty else { return [:] }
        if model.architecture == .classifier {
            guard let m = try ClassifierEvaluation.evaluate(model: model, backend: backend, dataset: dataset, entries: entries,
                                                            size: configuration.size, seed: configuration.seed,
                                                            replicas: replicas) else { return [:] }
            return ["val_accuracy": m.accuracy ?? .nan, "val_recall": m.recall ?? .nan,
                    "val_precision": m.precision ?? .nan, "val_auc": m.auc ?? .nan]
        }
        // Split over the replicas; the metrics are computed at replica 0 (the others get none).
        let samples = try SegmentationEvaluation.samples(model: model, backend: backend, dataset: dataset, entries: entries,
                                                         size: configuration.size, replicas: replicas)
        guard replicas.isRoot else { return [:] }
        let report = try SegmentationMetrics.evaluate(samples: samples, threshold: Float(configuration.threshold))
        return report.summaryMetrics(prefix: "val_")
    }

    /// Writes the epoch's files in an order that makes a kill between any two of them harmless:
    /// metrics (rows past the newest checkpoint are dropped on resume), best (rewritten
    /// identically if the epoch is replayed), then the epoch checkpoint — which carries the
    /// updated best score, so a resumed run picks the same best epoch as an uninterrupted one.
    private func finishEpoch(_ epoch: Int, row: [String: Double]) throws {
        try run.writeMetrics(metrics)
        let score = model.architecture == .classifier ? (row["val_auc"] ?? .nan) : (row["val_dice"] ?? .nan)
        let comparable = score.isNaN ? -1 : score
        if comparable > bestScore || !FileManager.default.fileExists(atPath: run.bestCheckpoint) {
            bestScore = comparable
            // With an average, the best checkpoint holds the averaged weights: those were validated.
            weightAverage?.swap(model.parameters)
            defer { weightAverage?.swap(model.parameters) }
            try saveCheckpoint(to: run.bestCheckpoint, epoch: epoch + 1, nextBatch: 0)
        }
        try saveCheckpoint(to: run.epochCheckpoint(epoch + 1), epoch: epoch + 1, nextBatch: 0)
        try? FileManager.default.removeItem(atPath: run.interruptedCheckpoint)
        if let keep = configuration.keepEpochCheckpoints, keep > 0 {
            for old in run.epochCheckpoints().dropLast(keep) { try? FileManager.default.removeItem(atPath: old.path) }
        }
        run.log("epoch \(epoch + 1): " + row.keys.sorted().map { "\($0)=\(String(format: "%.5g", row[$0]!))" }.joined(separator: " "))
    }

    // MARK: Checkpoints

    /// `epoch`: completed epochs; `next_batch`: the first batch of epoch `epoch` still to run;
    /// `epoch_loss_sum`/`epoch_steps`: the loss so far of that epoch (mid-epoch saves only);
    /// `preprocessing`: the dataset's policy as JSON, when it has one.
    /// Doubles are written with `description`, which round-trips exactly.
    func checkpointMetadata(epoch: Int, nextBatch: Int, epochLoss: (sum: Double, steps: Int)?) -> [String: String] {
        var metadata = ["arch": configuration.architecture, "size": String(configuration.size),
                        "width": String(configuration.width), "epoch": String(epoch), "next_batch": String(nextBatch),
                        "seed": String(configuration.seed), "best_score": String(bestScore)]
        // So `predict` prepares a raw file as this dataset's images were.
        if let policy = dataset.preprocessing { metadata[PreprocessingPolicy.metadataKey] = policy.jsonString }
        if let epochLoss {
            metadata["epoch_loss_sum"] = String(epochLoss.sum)
            metadata["epoch_steps"] = String(epochLoss.steps)
        }
        return metadata
    }

    func saveCheckpoint(to path: String, epoch: Int, nextBatch: Int, epochLoss: (sum: Double, steps: Int)? = nil) throws {
        try Checkpoint.save(parameters: model.parameters, optimizer: optimizer,
                            metadata: checkpointMetadata(epoch: epoch, nextBatch: nextBatch, epochLoss: epochLoss), to: path,
                            trainingState: weightAverage?.stateTensors(model.parameters) ?? [:])
    }

    /// Loads the newest state: an interrupted mid-epoch checkpoint if present, else the
    /// last completed epoch. `epoch` in metadata counts completed epochs.
    private func restoreLatestCheckpoint() throws {
        metrics = run.readMetrics()
        var path: String?
        if FileManager.default.fileExists(atPath: run.interruptedCheckpoint) {
            path = run.interruptedCheckpoint
        } else {
            path = run.epochCheckpoints().last?.path
        }
        guard let path else { return }  // killed before the first checkpoint: start over
        let checkpoint = try Checkpoint.load(path)
        _ = try checkpoint.apply(to: model.parameters, strict: true)
        let averageState = checkpoint.optimizerState.filter {
            $0.key.hasPrefix(WeightAverage.statePrefix) || $0.key == WeightAverage.updatesStateName
        }
        try optimizer.loadState(checkpoint.optimizerState.filter { averageState[$0.key] == nil },
                                parameters: model.parameters, file: path)
        weightAverage?.load(averageState, parameters: model.parameters)
        startEpoch = Int(checkpoint.metadata["epoch"] ?? "0") ?? 0
        startBatch = Int(checkpoint.metadata["next_batch"] ?? "0") ?? 0
        bestScore = Double(checkpoint.metadata["best_score"] ?? "") ?? -.infinity
        resumedLossSum = Double(checkpoint.metadata["epoch_loss_sum"] ?? "") ?? 0
        resumedSteps = Int(checkpoint.metadata["epoch_steps"] ?? "") ?? 0
        if configuration.freezeEncoder { model.setEncoderFrozen(true) }
        metrics = metrics.filter { Int($0["epoch"] ?? 0) <= startEpoch }
        log("resumed from \(path) at epoch \(startEpoch + 1), batch \(startBatch + 1)")
        observer?.message("resumed from \(path) at epoch \(startEpoch + 1), batch \(startBatch + 1)")
    }

    /// Why the finished run's best checkpoint should not be trusted, or nil: a segmenter whose
    /// best validation Dice stayed below `learnedDiceFloor` never learned (a collapsed start:
    /// dead ReLUs and a constant output), and its "best" epoch is an accident.
    public var learningWarning: String? {
        if let collapsedEpoch, let warning = Self.learningWarning(bestScore: bestScore, architecture: model.architecture) {
            return warning + " (the output went constant in epoch \(collapsedEpoch))"
        }
        return Self.learningWarning(bestScore: bestScore, architecture: model.architecture)
    }

    /// Validation Dice below which a segmentation run counts as not learned.
    public static let learnedDiceFloor = 0.05

    static func learningWarning(bestScore: Double, architecture: Architecture) -> String? {
        guard architecture != .classifier, bestScore > -.infinity, bestScore < learnedDiceFloor else { return nil }
        return "the best validation Dice was \(String(format: "%.3f", max(bestScore, 0))) (< \(learnedDiceFloor)): the "
            + "network did not learn and its checkpoint is not usable; train again with another --seed or a lower --lr"
    }
}
