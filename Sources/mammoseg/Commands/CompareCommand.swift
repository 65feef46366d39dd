import ArgumentParser
import Foundation
import Mammography

/// `mammoseg compare`: the study's comparison of architectures on one dataset and recipe.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Train several architectures with the same data, seed, budget and recipe; write a comparison.",
        discussion: """
        Each architecture is trained into OUT/runs/ARCH (as `mammoseg train`), then its best checkpoint is evaluated \
        on the test split. OUT/comparison.md and OUT/comparison.json hold one row per architecture: Dice and IoU on \
        positive images, false-positive pixel rate and input-probability correlation on normal images, checkerboard \
        energy (CEF2, CEF4) of the probability maps and of the upsampling layers' feature maps at initialisation and \
        after training, the checkerboard probe (constant and texture inputs), seconds per epoch, parameters. \
        OUT/figures holds the same positive and normal image through every network and the feature maps of the first \
        upsampling layer. With --minutes every network trains for the same wall-clock time. The fcn-* networks need --size divisible by 320, the dilated ones by 32.
        """)

    @Option(help: "Prepared dataset folder (from `mammoseg synth` or `mammoseg import`).")
    var data: String
    @Option(help: "Comma-separated architectures, e.g. dilated-resize,dilated-transpose-first,fcn-transpose.")
    var archs: String = "dilated-resize,dilated-transpose-first,fcn-transpose"
    @Option(help: "Output folder (must not hold a comparison already).")
    var out: String
    @Option(help: "Training crop size (a multiple of 320 when an fcn-* network is compared).")
    var size: Int = 320
    @Option(help: "Wall-clock budget of training per architecture, in minutes (--epochs then caps it); the same for every network.")
    var minutes: Double?
    @OptionGroup var recipe: RecipeOptions
    @OptionGroup var engine: BackendOptions
    @OptionGroup var limits: ReadLimitOptions

    func validate() throws {
        if let minutes { try FlagCheck.number(minutes, "--minutes", above: 0, atMost: 1e7) }
        for arch in try architectures() {
            do { try arch.validate(inputSize: size) } catch { throw ValidationError("--size: \(error)") }
        }
    }

    func architectures() throws -> [Architecture] {
        let names = archs.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty else { throw ValidationError("--archs: name at least one architecture") }
        do { return try names.map(Architecture.init(named:)) } catch { throw ValidationError("--archs: \(error)") }
    }

    func run() throws {
        do {
            var training = TrainingConfiguration(data: data, architecture: "")
            recipe.apply(to: &training)
            training.size = size; training.threads = engine.threads; training.timeBudgetSeconds = minutes.map { $0 * 60 }
            let observer = ConsoleTrainingObserver()  // held here: the comparison keeps a weak reference
            let comparison = try ArchitectureComparison(
                settings: .init(training: training, architectures: try architectures(), out: out),
                backend: engine.makeBackend(), observer: observer)
            StopSignal.install()
            comparison.shouldStop = { StopSignal.requested }
            let results = try withExtendedLifetime(observer) { try comparison.run() }
            print(StudyTables.metrics(results).markdown())
            print(StudyTables.checkerboard(results).markdown())
            print("tables: \(comparison.markdownFile), \(comparison.tableFile)\nfigures: \(comparison.figuresFolder)")
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw fail(error)
        }
    }
}
