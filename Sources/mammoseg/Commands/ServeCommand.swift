import ArgumentParser
import Foundation
import MammoData
import MammoServer
import Mammography

struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Web viewer: worklist, four-view reading with window/level and the probability overlay.",
        discussion: """
        Lists the images (DICOM, PNG, PGM) under --images, grouped into exams, and predicts them in the background \
        as `predict` does (opened ones first), caching the maps under --state (never inside --images). Open the \
        printed address in a browser. Listens on 127.0.0.1 unless --host says otherwise: the viewer has no login, \
        so only bind another address on a network you trust.
        """)

    @Option(help: "Checkpoint (.safetensors).") var checkpoint: String
    @Option(help: "Folder of images to list (searched recursively); nothing outside it is served.") var images: String
    @Option(help: "Address to listen on.") var host: String = "127.0.0.1"
    @Option(help: "Port (0: any free port, printed at start).") var port: Int = 8080
    @Option(help: "Folder for cached predictions and uploads (default: ~/.cache/mammoseg/serve).") var state: String?
    @Option(help: "Largest upload in MiB.") var maxUploadMb: Int = 256
    @Option(help: "Longest side, in pixels, of the copies the page draws.") var displaySide: Int = 2048
    @Option(help: "Architecture, for checkpoints without MammoSeg metadata.") var arch: String?
    @Option(help: "Width, for checkpoints without MammoSeg metadata.") var width: Double?
    @OptionGroup var engine: BackendOptions
    @OptionGroup var limits: ReadLimitOptions
    @OptionGroup var preprocessingOptions: PreprocessingOptions
    @Flag(help: "Run images as given: no breast mask, flip, crop or scaling.") var noPreprocessing = false

    func validate() throws {
        try FlagCheck.integer(port, "--port", in: 0...65535)
        try FlagCheck.integer(maxUploadMb, "--max-upload-mb", in: 1...4096)
        try FlagCheck.integer(displaySide, "--display-side", in: 256...16384)
        guard !host.isEmpty, host.allSatisfy({ $0.isLetter || $0.isNumber || ".:-".contains($0) }) else {
            throw ValidationError("--host must be an address or host name such as 127.0.0.1, not '\(host)'")
        }
        if let width { try FlagCheck.width(width) }
    }

    var stateFolder: String {
        if let state { return state }
        let home = ProcessInfo.processInfo.environment["XDG_CACHE_HOME"].map { $0 + "/mammoseg" }
            ?? NSHomeDirectory() + "/.cache/mammoseg"
        return home + "/serve"
    }

    func run() throws {
        do {
            let loaded = try LoadedModel(checkpoint: checkpoint, architecture: arch, width: width)
            guard loaded.model.architecture.isSegmenter else {
                throw TrainingError.checkpoint(checkpoint, "is a classifier; serve needs a segmentation checkpoint")
            }
            try loaded.model.architecture.validate(inputSize: loaded.size)
            let engine = self.engine
            let makePredictor: @Sendable () throws -> Predictor = {
                // As predict: tiles of the training size, whole images up to four tiles.
                let predictor = Predictor(model: loaded.model, backend: try engine.makeBackend(), tileSize: loaded.size)
                predictor.maxWholePixels = loaded.size * loaded.size * 4
                return predictor
            }
            let policy = preprocessingOptions.policy(base: loaded.preprocessing)
            let attributes = try FileManager.default.attributesOfItem(atPath: checkpoint)
            let identity = [(checkpoint as NSString).standardizingPath, "\(attributes[.size] ?? 0)",
                            "\((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)",
                            noPreprocessing ? "as-given" : policy.jsonString].joined(separator: "|")
            let configuration = ViewerConfiguration(imagesFolder: images, stateFolder: stateFolder, host: host, port: port,
                                                    maxUploadBytes: maxUploadMb << 20, displayMaxSide: displaySide,
                                                    modelIdentity: identity)
            let server = try ViewerServer(configuration: configuration,
                                          preprocessing: noPreprocessing ? nil : Preprocessing(policy: policy),
                                          makePredictor: makePredictor)
            if !["127.0.0.1", "localhost", "::1"].contains(host) {
                warn("--host \(host): the viewer has no login; anyone who can reach this address sees the images")
            }
            let count = server.imageCount
            let finished = DispatchSemaphore(value: 0)
            let outcome = ServeOutcome()
            Task.detached {
                do {
                    try await server.run { host, port in
                        let shown = host.contains(":") ? "[\(host)]" : host
                        FileHandle.standardOutput.write(Data("serving http://\(shown):\(port)/ (\(count) images)\n".utf8))
                    }
                } catch {
                    outcome.error = error
                }
                finished.signal()
            }
            finished.wait()
            if let error = outcome.error {
                throw ValidationError("--host \(host) --port \(port): cannot listen (\(error)); choose another port or address")
            }
        } catch let exit as ExitCode {
            throw exit
        } catch let error as ValidationError {
            throw error
        } catch {
            throw fail(error)
        }
    }
}

/// The server task's error, handed to the waiting command.
private final class ServeOutcome: @unchecked Sendable {
    var error: Error?
}
