import Engine
import Foundation
import MammoData
import Mammography
import XCTest

/// Bad input through the real executable: a non-zero exit (not a crash), and stderr is
/// exactly one line `error: <file>: <what is wrong>; <what to do>` naming the file.
final class BadInputTests: XCTestCase {
    var folder: TemporaryFolder!

    override func setUp() { folder = TemporaryFolder(name) }
    override func tearDown() { folder = nil }

    // MARK: Helpers

    func mammoseg(_ arguments: String...) throws -> MammosegProcess.Result {
        try MammosegProcess.run(arguments, folder: folder.path)
    }

    func assertOneLineError(_ result: MammosegProcess.Result, naming file: String?, mentioning words: [String] = [],
                            _ line: UInt = #line) {
        XCTAssertEqual(result.reason, .exit, "crashed: \(result.stderr)", line: line)
        XCTAssertNotEqual(result.status, 0, "exit status", line: line)
        XCTAssertEqual(result.stderrLines.count, 1, "stderr: \(result.stderr)", line: line)
        let message = result.stderrLines.first ?? ""
        XCTAssertTrue(message.hasPrefix("error: "), message, line: line)
        if let file { XCTAssertTrue(message.contains(file), "'\(message)' does not name \(file)", line: line) }
        for word in words { XCTAssertTrue(message.contains(word), "'\(message)' does not mention '\(word)'", line: line) }
    }

    /// A small valid dataset; returns its root.
    func dataset() throws -> String {
        let root = folder.join("data")
        try TinyDataset.write(to: root, count: 8)
        return root
    }

    /// An untrained checkpoint of `architecture`, with MammoSeg metadata or (like a PyTorch
    /// state_dict) without.
    func checkpoint(_ architecture: Architecture, width: Double = 0.0625, size: Int = 64,
                    metadata: Bool = true) throws -> String {
        let path = folder.join("\(architecture.rawValue)-\(width)-\(metadata).safetensors")
        let model = try makeModel(architecture, width: width, seed: 1)
        if metadata {
            try Checkpoint.save(parameters: model.parameters, optimizer: nil,
                                metadata: ["arch": architecture.rawValue, "size": "\(size)", "width": "\(width)"], to: path)
        } else {
            let tensors = Dictionary(uniqueKeysWithValues: model.parameters.map { ($0.name, $0.value) })
            try SafeTensorsFile(tensors: tensors).write(to: path)
        }
        return path
    }

    /// A 16-bit PNG of `width`×`height` mid-gray pixels.
    func image(width: Int = 64, height: Int = 64) throws -> String {
        let path = folder.join("image-\(width)x\(height).png")
        try PNG.write(GrayImage(width: width, height: height, bitDepth: 16,
                                pixels: [UInt16](repeating: 30_000, count: width * height)), to: path)
        return path
    }

    /// A regular file, so that any path below it cannot be created (works even for root).
    func regularFile() throws -> String {
        let path = folder.join("not-a-folder")
        _ = FileManager.default.createFile(atPath: path, contents: Data("x".utf8))
        return path
    }

    // MARK: Datasets

    func testMissingManifest() throws {
        let data = folder.join("empty")
        try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
        assertOneLineError(try mammoseg("train", "--data", data, "--out", folder.join("run")),
                           naming: data + "/manifest.csv", mentioning: ["mammoseg synth"])
        assertOneLineError(try mammoseg("train", "--data", folder.join("nowhere"), "--out", folder.join("run")),
                           naming: folder.join("nowhere"))
    }

    func testMalformedManifest() throws {
        let data = try dataset()
        let manifest = data + "/manifest.csv"
        let good = try String(contentsOfFile: manifest, encoding: .utf8)

        try "id;image;mask\nsynth_00000;images/a.png;masks/a.png\n".write(toFile: manifest, atomically: true, encoding: .utf8)
        assertOneLineError(try mammoseg("train", "--data", data, "--out", folder.join("run")),
                           naming: manifest, mentioning: ["line 1", "missing column"])

        let badSplit = good.replacingOccurrences(of: ",train,", with: ",training,")
        try badSplit.write(toFile: manifest, atomically: true, encoding: .utf8)
        assertOneLineError(try mammoseg("evaluate", "--checkpoint", try checkpoint(.dilatedResize), "--data", data),
                           naming: manifest, mentioning: ["'training'"])
    }

    func testImageAndMaskOfDifferentSizes() throws {
        let data = try dataset()
        let entries = try PreparedDataset(root: data)
        for split in [Split.train, .test] {
            let entry = try XCTUnwrap(entries.entries(split: split).last)
            try PNG.write(GrayImage(width: 40, height: 64, bitDepth: 8), to: entries.maskPath(entry))
        }
        let trainEntry = try XCTUnwrap(entries.entries(split: .train).last)
        assertOneLineError(try mammoseg("train", "--data", data, "--out", folder.join("run"), "--size", "64",
                                        "--width", "0.0625", "--batch", "2", "--epochs", "1"),
                           naming: entries.maskPath(trainEntry), mentioning: ["40x64", "64x64"])
        let testEntry = try XCTUnwrap(entries.entries(split: .test).last)
        assertOneLineError(try mammoseg("evaluate", "--checkpoint", try checkpoint(.dilatedResize), "--data", data),
                           naming: entries.maskPath(testEntry), mentioning: ["40x64"])
    }

    // MARK: Checkpoints

    func testCheckpointOfAnotherArchitecture() throws {
        let image = try image()
        let transposeFirst = try checkpoint(.dilatedTransposeFirst)
        assertOneLineError(try mammoseg("predict", "--checkpoint", transposeFirst, "--arch", "dilated-resize",
                                        "--out", folder.join("out"), image),
                           naming: transposeFirst, mentioning: ["dilated-transpose-first"])
        // A checkpoint that does not say what it is (a PyTorch state_dict): the tensors disagree.
        let bare = try checkpoint(.dilatedTransposeFirst, metadata: false)
        assertOneLineError(try mammoseg("predict", "--checkpoint", bare, "--arch", "dilated-resize", "--width", "0.0625",
                                        "--out", folder.join("out"), image),
                           naming: bare, mentioning: ["--arch"])
        assertOneLineError(try mammoseg("predict", "--checkpoint", bare, "--out", folder.join("out"), image),
                           naming: bare, mentioning: ["--arch"])
        let classifier = try checkpoint(.classifier)
        assertOneLineError(try mammoseg("predict", "--checkpoint", classifier, "--out", folder.join("out"), image),
                           naming: classifier, mentioning: ["classifier"])
    }

    func testCheckpointWithASizeItsArchitectureDoesNotAllow() throws {
        let fcn = try checkpoint(.fcnTranspose, size: 256)
        assertOneLineError(try mammoseg("predict", "--checkpoint", fcn, "--out", folder.join("out"), try image()),
                           naming: fcn, mentioning: ["256", "320"])
    }

    func testCheckpointOfAnotherWidth() throws {
        let narrow = try checkpoint(.dilatedResize, width: 0.0625)
        assertOneLineError(try mammoseg("predict", "--checkpoint", narrow, "--width", "0.125",
                                        "--out", folder.join("out"), try image()),
                           naming: narrow, mentioning: ["shape", "--width"])
        assertOneLineError(try mammoseg("evaluate", "--checkpoint", narrow, "--width", "0.125", "--data", try dataset()),
                           naming: narrow, mentioning: ["shape"])
    }

    func testDamagedCheckpointAndImage() throws {
        let damaged = folder.join("damaged.safetensors")
        let good = try Data(contentsOf: URL(fileURLWithPath: try checkpoint(.dilatedResize)))
        try good.prefix(good.count / 2).write(to: URL(fileURLWithPath: damaged))
        assertOneLineError(try mammoseg("predict", "--checkpoint", damaged, "--out", folder.join("out"), try image()),
                           naming: damaged)
        let notAnImage = try regularFile()
        assertOneLineError(try mammoseg("predict", "--checkpoint", try checkpoint(.dilatedResize),
                                        "--out", folder.join("out"), notAnImage),
                           naming: notAnImage)
        assertOneLineError(try mammoseg("inspect", "--checkpoint", try checkpoint(.dilatedResize), "--layer", "no.such.layer",
                                        "--out", folder.join("maps.png"), try image()),
                           naming: nil, mentioning: ["no.such.layer", "mammoseg summary"])
    }

    func testResumeWithAnotherSize() throws {
        let data = try dataset()
        let run = RunFolder(root: folder.join("run"))
        try run.create()
        var saved = TrainingConfiguration(data: data, architecture: "dilated-resize")
        saved.size = 64; saved.width = 0.0625; saved.batchSize = 2
        try run.writeConfig(saved)
        assertOneLineError(try mammoseg("train", "--data", data, "--out", run.root, "--size", "96", "--width", "0.0625",
                                        "--batch", "2", "--resume"),
                           naming: run.configFile, mentioning: ["--resume", "size"])
        assertOneLineError(try mammoseg("train", "--data", data, "--out", folder.join("fresh"), "--resume"),
                           naming: folder.join("fresh") + "/config.json")
    }

    func testNewRunIntoTheFolderOfAnotherRun() throws {
        let data = try dataset()
        let run = RunFolder(root: folder.join("run"))
        try run.create()
        _ = FileManager.default.createFile(atPath: run.epochCheckpoint(3), contents: Data())
        assertOneLineError(try mammoseg("train", "--data", data, "--out", run.root, "--size", "64"),
                           naming: run.epochCheckpoint(3), mentioning: ["--resume", "--out"])
    }

    // MARK: Output folders and sizes

    func testUnwritableOutputFolder() throws {
        let file = try regularFile()
        let data = try dataset()
        assertOneLineError(try mammoseg("train", "--data", data, "--out", file + "/run", "--size", "64"),
                           naming: file + "/run", mentioning: ["--out"])
        assertOneLineError(try mammoseg("predict", "--checkpoint", try checkpoint(.dilatedResize),
                                        "--out", file + "/predictions", try image()),
                           naming: file + "/predictions", mentioning: ["--out"])
        assertOneLineError(try mammoseg("evaluate", "--checkpoint", try checkpoint(.dilatedResize), "--data", data,
                                        "--json", file + "/report.json"),
                           naming: file + "/report.json")
        assertOneLineError(try mammoseg("inspect", "--checkpoint", try checkpoint(.dilatedResize), "--layer", "up1",
                                        "--out", file + "/maps.png", try image()),
                           naming: file + "/maps.png")
    }

    func testSizeNotAllowedByTheArchitecture() throws {
        let data = try dataset()
        assertOneLineError(try mammoseg("train", "--data", data, "--out", folder.join("run"), "--size", "80"),
                           naming: nil, mentioning: ["32", "96"])
        assertOneLineError(try mammoseg("train", "--data", data, "--out", folder.join("run"), "--arch", "fcn-transpose",
                                        "--size", "256"),
                           naming: nil, mentioning: ["fcn-transpose", "320"])
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.join("run")), "nothing written for a refused run")
        assertOneLineError(try mammoseg("predict", "--checkpoint", try checkpoint(.dilatedResize), "--tile", "100",
                                        "--out", folder.join("out"), try image()),
                           naming: nil, mentioning: ["--tile", "96"])
    }
}
