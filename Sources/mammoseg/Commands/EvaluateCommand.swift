import ArgumentParser
import Engine
import Foundation
import MammoData
import Mammography

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate a checkpoint, or probability maps from any tool, on a split of a prepared dataset.",
        discussion: """
        On positive images: Dice and IoU (foreground only; pooled and per-image mean), pixel recall, precision, \
        specificity. On normal images: the false-positive rate over breast pixels. Image level: ROC AUC of the \
        maximum probability, and the study's rule (positive when more than H·W/750 pixels exceed the threshold). \
        Lesions: FROC (peaks of the map smoothed with σ 1, suppression radius 8, hit within 4 px of a lesion, \
        specks within 10 px one lesion) sensitivity at 0.125, 0.25, 0.5, 1, 2 and 4 false positives per image, \
        n/a beyond the highest rate reached, and their mean (CPM). --maps DIR evaluates DIR/ID_probability.png \
        (gray, p·65535 as predict writes them) or else DIR/ID_seg.dcm (a DICOM Segmentation: FRACTIONAL as \
        value/MaximumFractionalValue, BINARY as 0/1) with the same metrics; maps in the prepared image's size are \
        taken as they are, maps in the source image's size (raw predict, SEGs) go through the manifest's transform. \
        95 % intervals: bootstrap over patients (--bootstrap replicates, seeded by --seed, percentile interval) \
        for Dice, IoU, the normal-image FP rate, image AUC, FROC sensitivities and CPM. Prints a table; --json writes JSON.
        """)

    @Option(help: "Checkpoint (.safetensors).") var checkpoint: String?
    @Option(help: "Instead of --checkpoint: folder of ID_probability.png maps (16-bit, p·65535) or ID_seg.dcm DICOM Segmentations.")
    var maps: String?
    @Option(help: "Prepared dataset folder.") var data: String
    @Option(help: "Split: train, val or test.") var split: String = "test"
    @Option(help: "Probability threshold for hard masks.") var threshold: Double = 0.5
    @Option(help: "Write the full report as JSON here.") var json: String?
    @Flag(help: "Flip test-time augmentation.") var tta = false
    @Option(help: "Bootstrap replicates (patients drawn with replacement) for 95 % intervals; 0: none.") var bootstrap = 2000
    @Option(help: "Seed of the bootstrap.") var seed: UInt64 = 0
    @Option(help: "Architecture, for checkpoints without MammoSeg metadata.") var arch: String?
    @Option(help: "Width, for checkpoints without MammoSeg metadata.") var width: Double?
    @OptionGroup var parallel: ReplicaOptions
    @OptionGroup var engine: BackendOptions
    @OptionGroup var limits: ReadLimitOptions

    func validate() throws {
        guard (checkpoint == nil) != (maps == nil) else { throw ValidationError("give exactly one of --checkpoint and --maps") }
        guard Split(rawValue: split) != nil else { throw ValidationError("--split must be train, val or test, not '\(split)'") }
        guard threshold > 0, threshold < 1 else { throw ValidationError("--threshold must be in (0, 1)") }
        if let width { try FlagCheck.width(width) }
        guard bootstrap >= 0 else { throw ValidationError("--bootstrap must be 0 (no intervals) or a positive count, not \(bootstrap)") }
    }

    func run() throws {
        let (replicas, mpi) = try parallel.start()
        do {
            try evaluate(replicas: replicas)
            try mpi?.finish()
        } catch let exit as ExitCode {
            if let mpi, mpi.count > 1 { mpi.abort(nil) }  // the error line is printed already
            throw exit
        } catch {
            if let mpi, mpi.count > 1 { mpi.abort("\(error)") }
            throw fail(error)
        }
    }

    /// Under `mpirun -np N` each process predicts its share of the images; the metrics are
    /// computed and written by process 0 alone, from all of them (the same numbers as one process).
    private func evaluate(replicas: ReplicaGroup) throws {
        do {
            if let maps {
                if replicas.isRoot { try evaluateMaps(maps) }
                return
            }
            let loaded = try LoadedModel(checkpoint: checkpoint!, architecture: arch, width: width)
            let dataset = try PreparedDataset(root: data)
            let entries = dataset.entries(split: Split(rawValue: split)!)
            guard !entries.isEmpty else {
                throw TrainingError.configuration("\(data): the \(split) split is empty; choose another --split")
            }
            // Fail before the work, not after it: unreadable pairs and an unwritable --json.
            try dataset.checkImageAndMaskSizes(entries)
            if let json { try checkWritable(json) }
            let backend = try engine.makeBackend()
            if loaded.model.architecture == .classifier {
                guard let m = try ClassifierEvaluation.evaluate(model: loaded.model, backend: backend, dataset: dataset,
                                                                entries: entries, size: loaded.size, seed: 0,
                                                                replicas: replicas) else { return }
                func show(_ v: Double?) -> String { v.map { String(format: "%.4f", $0) } ?? "n/a" }
                print("""
                classifier on \(m.count) crops (\(m.positives) abnormal), threshold 0.5
                  accuracy     \(show(m.accuracy))
                  recall       \(show(m.recall))
                  precision    \(show(m.precision))
                  specificity  \(show(m.specificity))
                  ROC AUC      \(show(m.auc))
                """)
                if let json {
                    let encoder = JSONEncoder()
                    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
                    try writeFileAtomically(encoder.encode(m), to: json)
                }
                return
            }
            let report: EvaluationReport
            if replicas.count > 1 {
                let samples = try SegmentationEvaluation.samples(model: loaded.model, backend: backend, dataset: dataset,
                                                                 entries: entries, size: loaded.size, flips: tta, replicas: replicas)
                guard replicas.isRoot else { return }
                report = try SegmentationMetrics.evaluate(samples: samples, threshold: Float(threshold),
                                                          bootstrapReplicates: bootstrap, seed: seed)
            } else {
                let bar = ProgressBar(label: "evaluate", total: entries.count)
                report = try SegmentationEvaluation.evaluate(
                    model: loaded.model, backend: backend, dataset: dataset, entries: entries, size: loaded.size,
                    threshold: Float(threshold), flips: tta, bootstrapReplicates: bootstrap, seed: seed) { done, _ in bar.update(done) }
            }
            print(report.textTable())
            if let json { try writeFileAtomically(report.json(), to: json) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw fail(error)
        }
    }

    /// `--maps`: the maps of another tool (or of `predict --data`), scored exactly as a checkpoint's.
    private func evaluateMaps(_ folder: String) throws {
        let dataset = try PreparedDataset(root: data)
        let entries = dataset.entries(split: Split(rawValue: split)!)
        guard !entries.isEmpty else {
            throw TrainingError.configuration("\(data): the \(split) split is empty; choose another --split")
        }
        try dataset.checkImageAndMaskSizes(entries)
        if let json { try checkWritable(json) }
        let bar = ProgressBar(label: "evaluate", total: entries.count)
        let samples = try ProbabilityMapFolder(root: folder).samples(dataset: dataset, entries: entries) { done, _ in bar.update(done) }
        let report = try SegmentationMetrics.evaluate(samples: samples, threshold: Float(threshold),
                                                      bootstrapReplicates: bootstrap, seed: seed)
        print(report.textTable())
        if let json { try writeFileAtomically(report.json(), to: json) }
    }
}
