import ArgumentParser
import Engine
import Foundation
import MammoData
import Mammography

struct EvaluateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "evaluate",
        abstract: "Evaluate a checkpoint on a split of a prepared dataset.",
        discussion: """
        On positive images: Dice and IoU (foreground only; pooled and per-image mean), pixel recall, precision, \
        specificity. On normal images: the false-positive rate over breast pixels. Image level: ROC AUC of the \
        maximum probability, and the study's rule (positive when more than H·W/750 pixels exceed the threshold). \
        Lesions: FROC sensitivity at 0.1, 0.5, 1 and 2 false positives per image. Prints a table; --json writes JSON.
        """)

    @Option(help: "Checkpoint (.safetensors).") var checkpoint: String
    @Option(help: "Prepared dataset folder.") var data: String
    @Option(help: "Split: train, val or test.") var split: String = "test"
    @Option(help: "Probability threshold for hard masks.") var threshold: Double = 0.5
    @Option(help: "Write the full report as JSON here.") var json: String?
    @Flag(help: "Flip test-time augmentation.") var tta = false
    @Option(help: "Architecture, for checkpoints without MammoSeg metadata.") var arch: String?
    @Option(help: "Width, for checkpoints without MammoSeg metadata.") var width: Double?
    @OptionGroup var engine: BackendOptions
    @OptionGroup var limits: ReadLimitOptions

    func validate() throws {
        guard Split(rawValue: split) != nil else { throw ValidationError("--split must be train, val or test, not '\(split)'") }
        guard threshold > 0, threshold < 1 else { throw ValidationError("--threshold must be in (0, 1)") }
        if let width { try FlagCheck.width(width) }
    }

    func run() throws {
        do {
            let loaded = try LoadedModel(checkpoint: checkpoint, architecture: arch, width: width)
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
                let m = try ClassifierEvaluation.evaluate(model: loaded.model, backend: backend, dataset: dataset,
                                                          entries: entries, size: loaded.size, seed: 0)
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
            let bar = ProgressBar(label: "evaluate", total: entries.count)
            let report = try SegmentationEvaluation.evaluate(
                model: loaded.model, backend: backend, dataset: dataset, entries: entries, size: loaded.size,
                threshold: Float(threshold), flips: tta) { done, _ in bar.update(done) }
            print(report.textTable())
            if let json { try writeFileAtomically(report.json(), to: json) }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw fail(error)
        }
    }
}
