import Engine
import Foundation

/// Training batches from a prepared dataset.
///
/// The batch sequence is a pure function of (seed, epoch, batch index): the epoch's order is
/// a seeded shuffle of the split, and every crop draws from a generator keyed by
/// (seed, epoch, batch, slot). A resumed run therefore sees exactly the batches it would
/// have seen, and the number of worker threads never changes the data.
public final class TrainingLoader: @unchecked Sendable {
    public let dataset: PreparedDataset
    public let entries: [DatasetEntry]
    public let configuration: LoaderConfiguration
    private let sampler: CropSampler
    private let cache = SampleCache()

    /// Samples per step over all replicas (the batch one process would use for the same run).
    public var globalBatchSize: Int { configuration.batchSize * configuration.replicaCount }

    /// Batches per epoch: ⌈images / global batch⌉; the last batch wraps around the epoch's order
    /// so that every batch is full.
    public var batchesPerEpoch: Int { (entries.count + globalBatchSize - 1) / globalBatchSize }

    public init(dataset: PreparedDataset, split: Split = .train, configuration: LoaderConfiguration) throws {
        let entries = dataset.entries(split: split)
        guard !entries.isEmpty else {
            throw DataError(file: dataset.root, "the \(split.rawValue) split is empty; re-create the dataset with a \(split.rawValue) fraction above 0")
        }
        guard configuration.size >= 8, configuration.batchSize >= 1, configuration.workers >= 0,
              configuration.scaleRange.lowerBound > 0, configuration.replicaCount >= 1,
              (0..<configuration.replicaCount).contains(configuration.replicaRank) else {
            throw DataError(file: dataset.root, "loader settings out of range (size ≥ 8, batch ≥ 1, workers ≥ 0, scale > 0)")
        }
        self.dataset = dataset
        self.entries = entries
        self.configuration = configuration
        self.sampler = CropSampler(configuration: configuration)
    }

    /// The dataset positions (into `entries`) of epoch `epoch`, in order.
    public func order(epoch: Int) -> [Int] {
        var order = Array(entries.indices)
        var generator = SeededGenerator(seed: configuration.seed, keys: SeededGenerator.hash("order"), UInt64(epoch))
        generator.shuffle(&order)
        return order
    }

    /// Batch `index` of `epoch`, computed on the calling thread.
    public func batch(epoch: Int, index: Int) throws -> Batch {
        try batch(epoch: epoch, index: index, order: order(epoch: epoch))
    }

    private func batch(epoch: Int, index: Int, order: [Int]) throws -> Batch {
        let size = configuration.size, n = configuration.batchSize, plane = size * size
        let global = globalBatchSize, first = configuration.replicaRank * n
        var images = [Float](repeating: 0, count: n * plane)
        var labels = [UInt8](repeating: 0, count: n * plane)
        var ids: [String] = []
        for slot in 0..<n {
            let globalSlot = first + slot
            let entry = entries[order[(index * global + globalSlot) % order.count]]
            let sample = try decoded(entry)
            var generator = SeededGenerator(seed: configuration.seed, keys: SeededGenerator.hash("crop"),
                                            UInt64(epoch), UInt64(index), UInt64(globalSlot))
            images.withUnsafeMutableBufferPointer { imageBuffer in
                labels.withUnsafeMutableBufferPointer { labelBuffer in
                    sampler.sample(sample, generator: &generator,
                                   image: UnsafeMutableBufferPointer(rebasing: imageBuffer[slot * plane..<(slot + 1) * plane]),
                                   labels: UnsafeMutableBufferPointer(rebasing: labelBuffer[slot * plane..<(slot + 1) * plane]))
                }
            }
            ids.append(entry.id)
        }
        return Batch(images: images, labels: labels, ids: ids, count: n, size: size, epoch: epoch, index: index)
    }

    /// The batches of `epoch` from `start` on, prepared ahead on `configuration.workers`
    /// background threads (none: on the caller's thread).
    public func batches(epoch: Int, startingAt start: Int = 0) -> PrefetchingBatches {
        let order = order(epoch: epoch)
        return PrefetchingBatches(range: start..<batchesPerEpoch, workers: configuration.workers,
                                  capacity: max(1, configuration.prefetch)) { [self] index in
            try batch(epoch: epoch, index: index, order: order)
        }
    }

    /// Decodes every image of the split now (in parallel), so later batches never wait on disk.
    public func preload() throws {
        let failures = FirstError()
        DispatchQueue.concurrentPerform(iterations: entries.count) { index in
            do { _ = try decoded(entries[index]) } catch { failures.set(error) }
        }
        if let error = failures.error { throw error }
    }

    private func decoded(_ entry: DatasetEntry) throws -> DecodedSample {
        if let sample = cache[entry.id] { return sample }
        let (image, mask) = try dataset.loadPair(entry)
        let sample = DecodedSample(image: image, mask: mask)
        if configuration.cacheImages { cache[entry.id] = sample }
        return sample
    }
}

/// Decoded images by id, shared by the worker threads.
final class SampleCache: @unchecked Sendable {
    private var samples: [String: DecodedSample] = [:]
    private let lock = NSLock()

    subscript(id: String) -> DecodedSample? {
        get { lock.lock(); defer { lock.unlock() }; return samples[id] }
        set { lock.lock(); samples[id] = newValue; lock.unlock() }
    }
}
