import Foundation
import Engine

/// Training and inference throughput of one network, measured the way
/// `reference/bench.py` measures PyTorch, so the two lines can be compared directly.
///
/// - Input: `[batch, 1, size, size]` standard-normal values, labels `rand > 0.9` (about
///   10 % abnormal pixels), both drawn from `SeededGenerator(seed:)`.
/// - Training step: forward + weighted cross-entropy (positive weight 18) + backward +
///   Adam (learning rate 7e-4). One warm-up step, then `steps` timed steps.
/// - Inference: forward in inference mode + channel softmax (`probabilities`, where the
///   logits convolution and the softmax may run fused), downloaded to the host. One
///   warm-up pass, then `steps` timed passes.
/// - Peak memory: the process's maximum resident set (`getrusage` `ru_maxrss`), as bench.py.
public struct ThroughputBenchmark {
    public let architecture: Architecture
    public let size: Int
    public let batch: Int
    public let width: Double
    public let steps: Int
    public let seed: UInt64

    public init(architecture: Architecture, size: Int, batch: Int, width: Double, steps: Int, seed: UInt64 = 0) {
        self.architecture = architecture
        self.size = size
        self.batch = batch
        self.width = width
        self.steps = steps
        self.seed = seed
    }

    public struct Result {
        public let trainImagesPerSecond: Double
        public let inferenceImagesPerSecond: Double
        public let peakResidentMegabytes: Double
    }

    /// Positive-class weight of the study's loss (the seed's value).
    static let positiveWeight: Float = 18
    static let learningRate: Float = 7e-4

    public func run(on backend: Backend) throws -> Result {
        let model = try makeModel(architecture, width: width, seed: seed)
        var random = SeededGenerator(seed: seed, keys: 1)
        let input = random.normalTensor([batch, 1, size, size])
        let labels: [UInt8] = (0..<(batch * size * size)).map { _ in random.uniform() > 0.9 ? 1 : 0 }
        let optimizer = Adam(learningRate: Self.learningRate)

        func trainingStep() throws {
            let ctx = Context(backend: backend, training: true)
            let logits = try model(try ctx.input(input), ctx)
            try Op.weightedCrossEntropyBackward(logits, labels: labels, positiveWeight: Self.positiveWeight, ctx)
            optimizer.update(model.parameters)
        }
        func inferencePass() throws {
            let ctx = Context(backend: backend, training: false)
            _ = try backend.download(try model.probabilities(try ctx.input(input), ctx))
        }

        let train = try imagesPerSecond(trainingStep)
        let infer = try imagesPerSecond(inferencePass)
        return Result(trainImagesPerSecond: train, inferenceImagesPerSecond: infer,
                      peakResidentMegabytes: Self.peakResidentMegabytes())
    }

    /// One untimed warm-up call (builds primitives, fills buffer pools), then `steps` timed ones.
    private func imagesPerSecond(_ body: () throws -> Void) throws -> Double {
        try body()
        let start = DispatchTime.now().uptimeNanoseconds
        for _ in 0..<steps { try body() }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Double(batch * steps) / seconds
    }

    /// `ru_maxrss` is in kilobytes on Linux.
    static func peakResidentMegabytes() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        return Double(usage.ru_maxrss) / 1024
    }
}

extension ThroughputBenchmark.Result {
    /// The line `reference/bench.py` prints, same keys, same order.
    public func line(for benchmark: ThroughputBenchmark) -> String {
        "arch=\(benchmark.architecture.rawValue) size=\(benchmark.size) batch=\(benchmark.batch) width=\(benchmark.width) "
            + "train_img_per_s=\(String(format: "%.3f", trainImagesPerSecond)) "
            + "infer_img_per_s=\(String(format: "%.3f", inferenceImagesPerSecond)) "
            + "peak_rss_mb=\(String(format: "%.0f", peakResidentMegabytes))"
    }
}
