import ArgumentParser
import Mammography

/// `mammoseg probe`: the checkerboard probe on untrained networks.
struct ProbeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "probe",
        abstract: "Measure the checkerboard artifacts an untrained architecture makes by itself.",
        discussion: """
        Feeds a constant image and a power-law (1/f^3) texture through each freshly initialised network and prints the \
        checkerboard energy fraction (CEF2, CEF4) of its probability map (prob_*) and the mean over its upsampling \
        layers' feature maps (up_*). Neither input holds a period-2 or period-4 pattern, so a clean architecture \
        scores about 0; stride-2 transposed convolutions score clearly above. Batch norm normalises with each input's \
        own statistics (as in the first training steps): with a fresh network's placeholder running statistics the \
        output hardly depends on the input (--running-statistics shows that regime).
        """)

    @Option(help: "Comma-separated architectures.")
    var archs: String = "dilated-resize,dilated-transpose-first,fcn-transpose"
    @Option(help: "Input side (a multiple of 320 when an fcn-* network is probed).")
    var size: Int = 320
    @Option(help: "Channel width multiplier.")
    var width: Double = 0.25
    @Option(help: "Seed of the initial weights and of the texture.")
    var seed: UInt64 = 0
    @Flag(name: .customLong("running-statistics"),
          help: "Batch norm with the fresh running statistics (inference mode) instead of each input's own.")
    var runningStatistics = false
    @Flag(help: "Also print every upsampling layer's scores.")
    var layers = false
    @OptionGroup var engine: BackendOptions

    func validate() throws {
        try FlagCheck.width(width)
        for arch in try architectures() {
            do { try arch.validate(inputSize: size) } catch { throw ValidationError("--size: \(error)") }
        }
    }

    func architectures() throws -> [Architecture] {
        let names = archs.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        guard !names.isEmpty else { throw ValidationError("--archs: name at least one architecture") }
        let parsed: [Architecture]
        do { parsed = try names.map(Architecture.init(named:)) } catch { throw ValidationError("--archs: \(error)") }
        if let classifier = parsed.first(where: { !$0.isSegmenter }) {
            throw ValidationError("--archs: \(classifier) has no probability map to probe; use the segmentation networks")
        }
        return parsed
    }

    func run() throws {
        do {
            let backend = try engine.makeBackend()
            var results: [(architecture: String, probe: CheckerboardProbe.Readings)] = []
            for arch in try architectures() {
                let model = try makeModel(arch, width: width, seed: seed)
                results.append((arch.rawValue, try CheckerboardProbe.run(model: model, backend: backend, size: size, seed: seed,
                                                                               batchStatistics: !runningStatistics)))
            }
            print("checkerboard probe: untrained networks, width \(width), input \(size)×\(size), seed \(seed), "
                  + "batch norm with \(runningStatistics ? "running" : "batch") statistics\n")
            print(StudyTables.probe(results).markdown())
            if layers {
                for (arch, probe) in results {
                    for (input, m) in probe {
                        let cells = m.layers.map { "\($0.name) \(format($0.scores.cef2))/\(format($0.scores.cef4))" }
                        print("\(arch) \(input.rawValue) (CEF2/CEF4): " + cells.joined(separator: "  "))
                    }
                }
            }
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw fail(error)
        }
    }

    private func format(_ value: Double?) -> String { value.map { String(format: "%.3g", $0) } ?? "–" }
}
