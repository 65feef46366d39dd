import ArgumentParser
import Mammography

/// The training recipe shared by `train` and `compare`; defaults are the study's
/// (Adam 7e-4 decayed ×0.85 every 10 epochs, pos-weight 18, flips on).
struct RecipeOptions: ParsableArguments {
    @Option(help: "Epochs.")
    var epochs: Int = 20
    @Option(help: "Channel width multiplier (1.0 = the study's network).")
    var width: Double = 0.25
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
    @Option(name: .customLong("scale-jitter"), help: "Rescale each crop by a random factor in [1 − j, 1 + j] (0 = off).")
    var scaleJitter: Double = 0.2
    @Option(name: .customLong("warmup-steps"), help: "Steps of linear learning-rate warm-up (0 = none).")
    var warmupSteps: Int = 100
    @Option(name: .customLong("clip-grad-norm"), help: "Clip the gradients' global L2 norm to this value (default: no clipping).")
    var clipGradNorm: Double?
    @Option(name: .customLong("ema"), help: "Validate and keep an exponential moving average of the weights with this decay, e.g. 0.999 (default: off).")
    var ema: Double?

    func validate() throws {
        try FlagCheck.integer(epochs, "--epochs", in: 1...FlagCheck.maximumCount)
        try FlagCheck.integer(batch, "--batch", in: 1...FlagCheck.maximumBatch)
        try FlagCheck.number(lr, "--lr", above: 0, atMost: 10)
        try FlagCheck.number(posWeight, "--pos-weight", above: 0, atMost: 1e6)
        try FlagCheck.number(weightDecay, "--weight-decay", above: 0, atMost: 1, includingLow: true)
        try FlagCheck.width(width)
        try FlagCheck.integer(decayEvery, "--decay-every", in: 1...FlagCheck.maximumCount)
        try FlagCheck.number(decayFactor, "--decay-factor", above: 0, atMost: 1)
        try FlagCheck.integer(warmupSteps, "--warmup-steps", in: 0...FlagCheck.maximumCount)
        try FlagCheck.number(scaleJitter, "--scale-jitter", above: 0, atMost: 0.9, includingLow: true)
        if let clipGradNorm { try FlagCheck.number(clipGradNorm, "--clip-grad-norm", above: 0, atMost: 1e9) }
        if let ema { try FlagCheck.number(ema, "--ema", above: 0, atMost: 1) }
        if let ema, ema >= 1 { throw ValidationError("--ema must be below 1 (got \(ema)); 0.99–0.9999 are usual") }
        if let freeze, freeze != "encoder" { throw ValidationError("--freeze takes 'encoder', not '\(freeze)'") }
    }

    /// Writes the recipe into a configuration (data, architecture and size are the caller's).
    func apply(to c: inout TrainingConfiguration) {
        c.width = width; c.epochs = epochs; c.batchSize = batch; c.learningRate = lr
        c.positiveWeight = posWeight; c.weightDecay = weightDecay; c.decayEvery = decayEvery; c.decayFactor = decayFactor
        c.seed = seed; c.initFrom = initFrom; c.freezeEncoder = freeze == "encoder"
        c.flips = flips; c.rotations = rotations
        c.warmupSteps = warmupSteps; c.clipGradientNorm = clipGradNorm; c.emaDecay = ema
        c.scaleJitter = scaleJitter
    }
}
