import Foundation
import MammoData
import Mammography

/// Runs the predictions, one at a time on its own thread (memory stays that of one image, whatever
/// the number of requests), in worklist order except that images the page opens jump the queue.
/// Each result goes to the cache; a cached one is reused without running the network.
final class PredictionWorker: @unchecked Sendable {
    /// Called on the worker's thread: OpenMP's thread count (oneDNN's `--threads`) belongs to the thread that sets it.
    private let makePredictor: @Sendable () throws -> Predictor
    private let preprocessing: Preprocessing?
    private let catalog: ImageCatalog
    private let cache: ViewerCache
    private let displays: DisplayBuilder
    private let condition = NSCondition()
    private var queue: [String] = []
    private var waiters: [String: [CheckedContinuation<PredictionState, Never>]] = [:]

    /// The intensity mapping the policy reads DICOM files with (what predict's heatmap shows).
    var intensity: IntensityNormalization { preprocessing?.policy.intensity ?? .fullRange }

    init(makePredictor: @escaping @Sendable () throws -> Predictor, preprocessing: Preprocessing?, catalog: ImageCatalog,
         cache: ViewerCache, displays: DisplayBuilder) {
        self.makePredictor = makePredictor; self.preprocessing = preprocessing
        self.catalog = catalog; self.cache = cache; self.displays = displays
    }

    /// Marks what the cache already holds as done and starts predicting the rest.
    func start() {
        var todo: [String] = []
        for (entry, _) in catalog.snapshot() {
            if let summary = cache.mapSummary(entry.cacheKey) {
                catalog.setState(.done(score: summary.score), for: entry.id)
            } else {
                todo.append(entry.id)
            }
        }
        condition.lock(); queue.append(contentsOf: todo); condition.unlock()
        let thread = Thread { [self] in loop() }
        thread.name = "mammoseg-predictions"
        thread.stackSize = 8 << 20
        thread.start()
    }

    /// Moves `ids` (those not finished) to the front of the queue, in the given order.
    func prioritize(_ ids: [String]) {
        condition.lock(); defer { condition.unlock() }
        let wanted = ids.filter { catalog.state($0).map { !$0.isFinished } ?? false }
        guard !wanted.isEmpty else { return }
        queue.removeAll { wanted.contains($0) }
        queue.insert(contentsOf: wanted, at: 0)
        condition.signal()
    }

    /// Waits for the prediction of `id` (queued first if it is not finished).
    func result(of id: String) async -> PredictionState {
        await withCheckedContinuation { continuation in
            condition.lock()
            if let state = catalog.state(id), state.isFinished {
                condition.unlock()
                continuation.resume(returning: state)
                return
            }
            guard catalog.state(id) != nil else {
                condition.unlock()
                continuation.resume(returning: .failed("no such image"))
                return
            }
            waiters[id, default: []].append(continuation)
            queue.removeAll { $0 == id }
            queue.insert(id, at: 0)
            condition.signal()
            condition.unlock()
        }
    }

    private func loop() {
        let predictor: Predictor?
        var setupFailure = ""
        do {
            predictor = try makePredictor()
        } catch {
            predictor = nil
            setupFailure = ViewerError.publicMessage(error, hiding: [(cache.root, "state")])
        }
        while true {
            condition.lock()
            while queue.isEmpty { condition.wait() }
            let id = queue.removeFirst()
            condition.unlock()
            guard let entry = catalog.entry(id), let state = catalog.state(id), !state.isFinished else { continue }
            catalog.setState(.running, for: id)
            let result = predictor.map { process(entry, predictor: $0) } ?? .failed("the network could not be set up: \(setupFailure)")
            condition.lock()
            catalog.setState(result, for: id)
            let waiting = waiters.removeValue(forKey: id) ?? []
            condition.unlock()
            for continuation in waiting { continuation.resume(returning: result) }
        }
    }

    /// Reads, predicts (the `predict` command's path: `SourcePrediction`) and caches one image.
    private func process(_ entry: CatalogEntry, predictor: Predictor) -> PredictionState {
        do {
            if let summary = cache.mapSummary(entry.cacheKey), cache.display(entry.cacheKey) != nil {
                return .done(score: summary.score)
            }
            let source: SourceImage
            let display: DisplayImage
            if entry.format == .dicom {
                display = try displays.display(for: entry)
                source = try SourceImage.read(entry.path, intensity: preprocessing?.policy.intensity ?? .fullRange)
            } else {
                source = try SourceImage.read(entry.path)
                display = try displays.display(for: entry, image: source.image)
            }
            let prediction = try SourcePrediction.predict(source: source, path: entry.path, predictor: predictor,
                                                          preprocessing: preprocessing)
            let overlay = display.downsample(probability: prediction.probability)
            let summary = try cache.saveMaps(probability: prediction.probability, width: prediction.image.width,
                                             height: prediction.image.height, overlay: overlay, key: entry.cacheKey)
            return .done(score: summary.score)
        } catch {
            return .failed(ViewerError.publicMessage(error, hiding: [(entry.path, entry.name), (cache.root, "state")]))
        }
    }
}
