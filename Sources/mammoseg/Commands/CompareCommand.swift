import ArgumentParser
import Foundation
import Mammography

/// `mammoseg compare`: the study's comparison of architectures on one dataset and recipe.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Train several architectures with the same data, seed, budget and recipe; write a comparison.",
        discussion: """
        Each architecture is trained into OUT/runs/ARCH (as `mammoseg train`), then its best checkpoint is evaluated
        on the test split. OUT/comparison.md and OUT/comparison.json hold one row per architecture: Dice and IoU on
        positive images, false-positive pixel rate and input-probability correlation on normal images, checkerboard
        energy (CEF2, CEF4) of the probability maps and of the upsampling layers' feature maps at initialisation and
        after training, the checkerboard probe (constant and texture inputs), seconds per epoch, parameters.
        OUT/figures holds the same positive and normal image through every network and the feature maps of the first
        upsampling layer. The fcn-* networks need --size divisible by 320, the dilated ones by 32.
        """)

    @Option(help: "Prepared dataset folder (from `mammoseg synth` or `mammoseg import`).")
    var data: String
    @Option(help: "Comma-separated architectures, e.g. dilated-resize,dilated-transpose-first,fcn-transpose.")
    var archs: String = "dilated-resize,dilated-transpose-first,fcn-transpose"
    @Option(help: "Output folder (must not hold a comparison already).")
    var out: String
    @Option(help: "Epochs per architecture.")
    var epochs: Int = 20
    @Option(help: "Training crop size (a multiple of 320 when an fcn-* network is compared).")
    var size: Int = 320
    @Option(help: "Channel width multiplier.")
    var width: Double = 0.25
    @Option(help: "Batch size.")
    var batch: Int = 8
    @Option(help: "Adam learning rate.")
    var lr: Double = 7e-4
    @Option(name: .customLong("pos-weight"), help: "Loss weight of abnormal pixels.")
    var posWeight: Double = 18
    @Option(help: "Random seed (initialisation, data order, augmentation, probe texture).")
    var seed: UInt64 = 0
    @Option(name: .customLong("init"), help: "Initialise every network from a checkpoint (matching names), e.g. a classifier's.")
    var initFrom: String?
    @Option(help: "Freeze a part of every network: 'encoder'.")
    var freeze: String?
    @OptionGroup var engine: BackendOptions

    func validate() throws {
        guard epochs >= 1, batch >= 1 else { throw ValidationError("--epochs and --batch must be at least 1") }
        guard lr > 0, posWeight > 0 else { throw ValidationError("--lr and --pos-weight must be positive") }
        guard width.isFinite, width > 0 else { throw ValidationError("--width must be positive") }
        if let freeze, freeze != "encoder" { throw ValidationError("--freeze takes 'encoder', not '\(freeze)'") }
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
            training.size = size; training.width = width; training.epochs = epochs; training.batchSize = batch
            training.learningRate = lr; training.positiveWeight = posWeight; training.seed = seed
            training.initFrom = initFrom; training.freezeEncoder = freeze == "encoder"; training.threads = engine.threads
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
