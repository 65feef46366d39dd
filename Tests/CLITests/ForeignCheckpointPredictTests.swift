import Engine
import Foundation
import MammoData
import Mammography
import XCTest

/// `predict` on checkpoints written by PyTorch with no MammoSeg metadata (a bare state_dict):
/// the user names the network with --arch/--width/--tile. The weights are the PyTorch-made
/// fixtures of MammographyTests (scripts/fixtures/make_model_fixtures.py), stripped of their
/// metadata the way `safetensors.torch.save_file(model.state_dict(), path)` writes them.
final class ForeignCheckpointPredictTests: XCTestCase {
    var folder: TemporaryFolder!

    override func setUp() { folder = TemporaryFolder(name) }
    override func tearDown() { folder = nil }

    /// The PyTorch fixture of `architecture`, rewritten without metadata; returns its path and width.
    func bareFixture(_ architecture: Architecture) throws -> (path: String, width: String, fixtureSize: Int) {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("MammographyTests/Fixtures/models/\(architecture.rawValue).safetensors").path
        guard FileManager.default.fileExists(atPath: fixture) else {
            throw XCTSkip("fixture \(fixture) missing; run scripts/fixtures/make_model_fixtures.py")
        }
        let written = try SafeTensorsFile.read(path: fixture)
        let width = try XCTUnwrap(written.metadata["width"])
        let size = try XCTUnwrap(written.metadata["size"].flatMap(Int.init))
        let path = folder.join("\(architecture.rawValue)-state-dict.safetensors")
        try SafeTensorsFile(tensors: written.tensors).write(to: path)
        XCTAssertTrue(try SafeTensorsFile.read(path: path).metadata.isEmpty)
        return (path, width, size)
    }

    func image(width: Int, height: Int) throws -> String {
        let path = folder.join("mammogram-\(width)x\(height).png")
        let pixels = (0..<width * height).map { UInt16(($0 * 97) % 60_000) }
        try PNG.write(GrayImage(width: width, height: height, bitDepth: 16, pixels: pixels), to: path)
        return path
    }

    func testEverySegmenterPredictsWithArchWidthAndTile() throws {
        let input = try image(width: 90, height: 70)
        for architecture in Architecture.allCases where architecture.isSegmenter {
            let (checkpoint, width, tile) = try bareFixture(architecture)
            let out = folder.join("out-\(architecture.rawValue)")
            let result = try MammosegProcess.run(["predict", "--checkpoint", checkpoint, "--arch", architecture.rawValue,
                                                  "--width", width, "--tile", "\(tile)", "--threads", "1", "--out", out, input],
                                                 folder: folder.path)
            XCTAssertEqual(result.status, 0, "\(architecture): \(result.stderr)")
            let probability = out + "/mammogram-90x70_probability.png"
            XCTAssertTrue(FileManager.default.fileExists(atPath: probability), "\(architecture): no \(probability)")
            if let map = try? ImageFile.readGray(probability) {
                XCTAssertEqual([map.width, map.height], [90, 70], "\(architecture)")
            }
        }
    }

    /// The reported bug: fcn-transpose without --tile fell back to size 256, which the FCN family cannot run.
    func testFCNWithoutTileUsesASizeItCanRun() throws {
        let (checkpoint, width, _) = try bareFixture(.fcnTranspose)
        let result = try MammosegProcess.run(["predict", "--checkpoint", checkpoint, "--arch", "fcn-transpose",
                                              "--width", width, "--threads", "1", "--out", folder.join("out"),
                                              try image(width: 40, height: 40)], folder: folder.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        XCTAssertFalse(result.stderr.contains("metadata"), result.stderr)
    }

    func testClassifierStateDictIsRecognisedAndRefusedClearly() throws {
        let (checkpoint, width, _) = try bareFixture(.classifier)
        let result = try MammosegProcess.run(["predict", "--checkpoint", checkpoint, "--arch", "classifier",
                                              "--width", width, "--tile", "64", "--out", folder.join("out"),
                                              try image(width: 64, height: 64)], folder: folder.path)
        XCTAssertEqual(result.reason, .exit)
        XCTAssertNotEqual(result.status, 0)
        XCTAssertEqual(result.stderrLines.count, 1, result.stderr)
        XCTAssertTrue(result.stderr.contains("classifier") && result.stderr.contains("segmentation"), result.stderr)
    }
}
