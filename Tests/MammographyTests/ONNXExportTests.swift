import DNNLBackend
import Engine
import Foundation
import MammoData
import Mammography
import XCTest

/// `ONNXExport` checked by tools we did not write (scripts/check_onnx.py): `onnx.checker` with
/// full shape inference, onnxruntime against MammoSeg's probabilities (1e-4) and against the
/// PyTorch reference for PyTorch-written weights, OpenVINO compiling and running the model.
/// Every architecture at two widths, each model at two input sizes through one exported file
/// (N, H and W are dynamic).
final class ONNXExportTests: XCTestCase {
    var folder: URL!

    override func setUpWithError() throws {
        folder = FileManager.default.temporaryDirectory.appendingPathComponent("onnx-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(at: folder) }

    func testPyTorchWrittenWeightsAgreeInOnnxruntimePyTorchAndOpenVINO() throws {
        for architecture in Architecture.allCases {
            let file = "\(architecture).safetensors"
            let (model, size) = try ModelFixtures.loadModel(file)
            try check(model, sizes: [size, size + architecture.sizeDivisor], pytorch: try ModelFixtures.path(file))
        }
    }

    func testSecondWidthWithTrainedLookingStatisticsAgreesInOnnxruntime() throws {
        for architecture in Architecture.allCases {
            let model = try makeModel(architecture, width: architecture.isSegmenter && architecture.sizeDivisor == 320
                                      ? 0.0625 : 0.125, seed: 11)
            perturbBatchNormStatistics(model, seed: 5)
            let size = 2 * architecture.sizeDivisor
            try check(model, sizes: [size, architecture.sizeDivisor], pytorch: nil)
        }
    }

    /// The metadata a user's runtime reads, and the graph's input and output names.
    func testMetadataAndNames() throws {
        let model = try makeModel(.dilatedResize, width: 0.0625, seed: 1)
        let bytes = try ONNXExport.model(of: model, metadata: ["architecture": "dilated-resize", "width": "0.0625"])
        let text = String(decoding: bytes, as: UTF8.self)
        for expected in ["image", "probabilities", "architecture", "dilated-resize", "Resize", "asymmetric", "floor"] {
            XCTAssertTrue(text.contains(expected), "no \(expected) in the model")
        }
    }

    // MARK: Helpers

    /// Exports `model`, computes MammoSeg's probabilities (oneDNN) at each size, and has
    /// check_onnx.py compare onnxruntime (and PyTorch, OpenVINO) with them.
    private func check(_ model: any SegmentationModel, sizes: [Int], pytorch: String?) throws {
        let name = "\(model.architecture)-\(model.width)"
        let onnx = folder.appendingPathComponent("\(name).onnx").path
        try writeFileAtomically(try ONNXExport.model(of: model, metadata: [
            "architecture": model.architecture.rawValue, "width": "\(model.width)"]), to: onnx)
        let backend = try DNNLBackend(threads: 1)
        var arguments = [onnx]
        for (index, size) in sizes.enumerated() {
            let input = ModelFixtures.input(batch: 2, size: size)
            let ctx = Context(backend: backend, training: false)
            let probabilities = try backend.download(model.probabilities(try ctx.input(input), ctx))
            let x = folder.appendingPathComponent("\(name)-x\(index).npy").path
            let y = folder.appendingPathComponent("\(name)-y\(index).npy").path
            try NPY.write(float32: input.scalars, shape: input.shape, to: x)
            try NPY.write(float32: probabilities.scalars, shape: probabilities.shape, to: y)
            arguments += ["--case", x, y]
        }
        if let pytorch { arguments += ["--pytorch", pytorch] }
        arguments += ["--openvino"]
        let (status, output) = try runChecker(arguments)
        XCTAssertEqual(status, 0, "\(name): \(output)")
    }

    /// Gives every batch norm non-trivial statistics and affine terms, so a wrongly wired or
    /// mis-ordered BatchNormalization input shows in the output.
    private func perturbBatchNormStatistics(_ model: any SegmentationModel, seed: UInt64) {
        var random = SeededGenerator(seed: seed)
        for parameter in model.parameters {
            let name = parameter.name
            let value: (inout SeededGenerator) -> Float
            if name.hasSuffix("running_var") { value = { Float.random(in: 0.5...2, using: &$0) } }
            else if name.hasSuffix("running_mean") || name.hasSuffix("bn.bias") { value = { Float.random(in: -0.2...0.2, using: &$0) } }
            else if name.hasSuffix("bn.weight") { value = { Float.random(in: 0.5...1.5, using: &$0) } }
            else { continue }
            parameter.value.scalars = (0..<parameter.value.count).map { _ in value(&random) }
        }
    }

    private func runChecker(_ arguments: [String]) throws -> (Int32, String) {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/check_onnx.py").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output)
    }
}
