import ArgumentParser
import Foundation
import MammoData

/// `mammoseg bench-loader`: how many augmented training images per second the loader delivers.
struct LoaderBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-loader",
        abstract: "Measure the training loader's throughput (decoded, cropped, augmented images per second).",
        discussion: "Images are decoded and cached first (timed separately), then --batches batches are drawn through the prefetching workers."
    )

    @Option(help: "Prepared dataset folder.") var data: String
    @Option(help: "Crop side.") var size = 256
    @Option(help: "Images per batch.") var batch = 8
    @Option(help: "Background worker threads (0: on the calling thread).") var workers = 2
    @Option(help: "Batches to draw.") var batches = 50
    @Option(help: "Split to read.") var split = "train"
    @Option(help: "Loader seed.") var seed: UInt64 = 1
    @OptionGroup var limits: ReadLimitOptions

    func validate() throws {
        try FlagCheck.integer(size, "--size", in: 8...8192)
        try FlagCheck.integer(batch, "--batch", in: 1...FlagCheck.maximumBatch)
        try FlagCheck.integer(workers, "--workers", in: 0...256)
        try FlagCheck.integer(batches, "--batches", in: 1...FlagCheck.maximumCount)
        guard Split(rawValue: split) != nil else { throw ValidationError("--split must be train, val or test (got \(split))") }
    }

    func run() throws {
        do {
            let dataset = try PreparedDataset(root: data)
            var configuration = LoaderConfiguration(size: size, batchSize: batch, seed: seed)
            configuration.workers = workers
            let loader = try TrainingLoader(dataset: dataset, split: Split(rawValue: split)!, configuration: configuration)
            let decodeStart = Date()
            try loader.preload()
            let decodeSeconds = Date().timeIntervalSince(decodeStart)

            let start = Date()
            var drawn = 0, epoch = 0, foreground = 0.0
            while drawn < batches {
                let sequence = loader.batches(epoch: epoch)
                while drawn < batches, let batch = try sequence.next() {
                    drawn += 1; foreground += batch.foregroundFraction
                }
                sequence.cancel()
                epoch += 1
            }
            let seconds = Date().timeIntervalSince(start)
            print(String(format: "loader size=%d batch=%d workers=%d batches=%d images=%d decode_s=%.2f seconds=%.2f images_per_s=%.1f foreground_fraction=%.4f",
                         size, batch, workers, drawn, drawn * batch, decodeSeconds, seconds, Double(drawn * batch) / seconds, foreground / Double(drawn)))
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
