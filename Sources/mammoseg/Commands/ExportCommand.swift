import ArgumentParser
import Engine
import Foundation
import Mammography

/// `mammoseg export`: a checkpoint as an ONNX model for onnxruntime, OpenVINO and other runtimes.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write a checkpoint's network as an ONNX model (opset 17) for other runtimes.",
        discussion: """
            The model takes `image`, float32 [N, 1, H, W] scaled to [0, 1] after the checkpoint's \
            preprocessing (H and W multiples of 32; of 320 for the fcn-* networks), and returns \
            `probabilities`, the softmax over (normal, abnormal): [N, 2, H, W], or [N, 2] for the \
            classifier. N, H and W are dynamic. The architecture, width, training size and \
            preprocessing policy are stored as metadata_props.
              mammoseg export --checkpoint run/best.safetensors --out model.onnx
              python3 -c "import onnxruntime as ort; s = ort.InferenceSession('model.onnx')"
            """
    )

    @Option(help: "Checkpoint (.safetensors).") var checkpoint: String
    @Option(help: "ONNX file to write (replaced atomically).") var out: String
    @Option(help: "Architecture, for checkpoints without MammoSeg metadata.") var arch: String?
    @Option(help: "Width, for checkpoints without MammoSeg metadata.") var width: Double?

    func validate() throws {
        if let width { try FlagCheck.width(width) }
        guard !out.isEmpty else { throw ValidationError("--out: empty path; name the .onnx file to write") }
    }

    func run() throws {
        let loaded = try LoadedModel(checkpoint: checkpoint, architecture: arch, width: width)
        let network = loaded.model
        let bytes = try ONNXExport.model(of: network, metadata: [
            "architecture": network.architecture.rawValue,
            "width": "\(network.width)",
            "training_size": "\(loaded.size)",
            "preprocessing": loaded.preprocessing.jsonString,
            "size_divisor": "\(network.architecture.sizeDivisor)",
            "input": "image: float32 [N, 1, H, W] in [0, 1]",
            "output": network.architecture.isSegmenter ? "probabilities: float32 [N, 2, H, W], channel 1 = P(abnormal)"
                                                       : "probabilities: float32 [N, 2], column 1 = P(abnormal)",
        ])
        try writeFileAtomically(bytes, to: out)
        let megabytes = String(format: "%.1f", Double(bytes.count) / 1_048_576)
        print("wrote \(out): \(network.architecture.rawValue) width \(network.width), opset \(ONNXExport.opsetVersion), \(megabytes) MB")
    }
}
