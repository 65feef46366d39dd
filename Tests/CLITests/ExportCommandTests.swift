import Engine
import Foundation
import XCTest

/// `mammoseg export` through the executable: a model onnxruntime loads, and one clear line for
/// an unknown architecture, a checkpoint that does not match it, and an unwritable output.
final class ExportCommandTests: XCTestCase {
    var folder: TemporaryFolder!

    override func setUp() { folder = TemporaryFolder(name) }
    override func tearDown() { folder = nil }

    /// The PyTorch-written fixture of MammographyTests (metadata: arch, width, size).
    func fixture(_ architecture: String) throws -> String {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("MammographyTests/Fixtures/models/\(architecture).safetensors").path
        guard FileManager.default.fileExists(atPath: path) else { throw XCTSkip("fixture \(path) missing") }
        return path
    }

    func testExportsAModelWithItsMetadata() throws {
        let out = folder.join("model.onnx")
        let result = try MammosegProcess.run(["export", "--checkpoint", try fixture("dilated-resize"), "--out", out],
                                             folder: folder.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stdout.contains("wrote \(out)"), result.stdout)
        let bytes = try XCTUnwrap(FileManager.default.contents(atPath: out))
        let text = String(decoding: bytes, as: UTF8.self)
        for key in ["architecture", "dilated-resize", "preprocessing", "training_size", "probabilities"] {
            XCTAssertTrue(text.contains(key), "metadata has no \(key)")
        }
    }

    func testUnknownArchitectureIsOneLine() throws {
        let bare = folder.join("bare.safetensors")
        try SafeTensorsFile(tensors: try SafeTensorsFile.read(path: try fixture("dilated-resize")).tensors).write(to: bare)
        let result = try MammosegProcess.run(["export", "--checkpoint", bare, "--arch", "unet", "--width", "0.0625",
                                              "--out", folder.join("m.onnx")], folder: folder.path)
        assertOneLineError(result, naming: nil, mentioning: ["unet", "dilated-resize"])
    }

    func testCheckpointNotMatchingTheArchitectureIsOneLine() throws {
        let bare = folder.join("bare.safetensors")
        try SafeTensorsFile(tensors: try SafeTensorsFile.read(path: try fixture("dilated-resize")).tensors).write(to: bare)
        let result = try MammosegProcess.run(["export", "--checkpoint", bare, "--arch", "fcn-transpose", "--width", "0.0625",
                                              "--out", folder.join("m.onnx")], folder: folder.path)
        assertOneLineError(result, naming: bare)
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.join("m.onnx")))
    }

    func testUnwritableOutputIsOneLine() throws {
        let out = folder.join("no-such-folder", "m.onnx")
        let result = try MammosegProcess.run(["export", "--checkpoint", try fixture("classifier"), "--out", out],
                                             folder: folder.path)
        assertOneLineError(result, naming: out)
    }
}
