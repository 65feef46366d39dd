import ArgumentParser
import Engine
import Mammography

/// `mammoseg bench`: training and inference throughput on random input, one line with the
/// keys of `reference/bench.py` (compare both with `scripts/bench_compare.sh`).
struct BenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure training and inference speed (images per second) and peak memory.",
        discussion: """
            Random seeded input and labels; a training step is forward + loss + backward + Adam, \
            inference is forward + softmax; one warm-up step each. Prints one line: \
            arch size batch width train_img_per_s infer_img_per_s peak_rss_mb.
            """
    )

    @Option(help: "Network: \(Architecture.allCases.map(\.rawValue).joined(separator: ", ")).")
    var arch: Architecture = .dilatedResize

    @Option(help: "Input side in pixels (multiple of 32; of 320 for the fcn-* networks).")
    var size: Int = 256

    @Option(help: "Images per step.")
    var batch: Int = 8

    @Option(help: "Channel-width multiplier (1.0 = the seed's channel counts).")
    var width: Double = 0.25

    @Option(help: "Timed steps (after one warm-up step).")
    var steps: Int = 5

    @OptionGroup var backendOptions: BackendOptions

    func validate() throws {
        try FlagCheck.width(width)
        try FlagCheck.integer(batch, "--batch", in: 1...FlagCheck.maximumBatch)
        try FlagCheck.integer(steps, "--steps", in: 1...FlagCheck.maximumCount)
        do {
            try arch.validate(inputSize: size)
        } catch let error as ModelError {
            throw ValidationError("--size: \(error)")
        }
    }

    func run() throws {
        let benchmark = ThroughputBenchmark(architecture: arch, size: size, batch: batch, width: width, steps: steps)
        do {
            let result = try benchmark.run(on: try backendOptions.makeBackend())
            print(result.line(for: benchmark))
        } catch {
            throw fail(error)
        }
    }
}
