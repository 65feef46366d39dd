import Engine
import Foundation
@testable import MammoData
import Mammography
import XCTest

/// Crafted files and flags through the real executable: each must end in one `error:` line
/// naming the file or flag, with an exit status (never a signal, never gigabytes of memory).
final class HostileInputTests: XCTestCase {
    var folder: TemporaryFolder!

    override func setUp() { folder = TemporaryFolder(name) }
    override func tearDown() { folder = nil }

    func mammoseg(_ arguments: String...) throws -> MammosegProcess.Result {
        try MammosegProcess.run(arguments, folder: folder.path)
    }

    func mammoseg(_ arguments: [String]) throws -> MammosegProcess.Result {
        try MammosegProcess.run(arguments, folder: folder.path)
    }

    func write(_ bytes: [UInt8], _ name: String) -> String {
        let path = folder.join(name)
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
        return path
    }

    func image(width: Int = 64, height: Int = 64, name: String = "image.png") throws -> String {
        let path = folder.join(name)
        try PNG.write(GrayImage(width: width, height: height, bitDepth: 16,
                                pixels: [UInt16](repeating: 30_000, count: width * height)), to: path)
        return path
    }

    func checkpoint(metadata: [String: String] = [:]) throws -> String {
        let path = folder.join("model-\(UUID().uuidString).safetensors")
        let model = try makeModel(.dilatedResize, width: 0.0625, seed: 1)
        let base = ["arch": "dilated-resize", "size": "64", "width": "0.0625"]
        try Checkpoint.save(parameters: model.parameters, optimizer: nil,
                            metadata: base.merging(metadata) { $1 }, to: path)
        return path
    }

    // MARK: Image headers that claim more than the file holds

    func testPNGWhoseHeaderClaimsNineHundredThousandPixelsSquare() throws {
        let png = write(CraftedPNG.gray(width: 900_000, height: 900_000, bitDepth: 16), "huge.png")
        assertOneLineError(try mammoseg("info", png), naming: png, mentioning: ["900000x900000", "--max-pixels"])
        assertOneLineError(try mammoseg("predict", "--checkpoint", try checkpoint(), "--out", folder.join("out"), png),
                           naming: png, mentioning: ["--max-pixels"])
    }

    func testPNGWhoseHeaderClaimsMoreThanItsBytesCanHold() throws {
        // 10⁸ pixels is under the default limit, but no 60-byte deflate stream inflates that far.
        let png = write(CraftedPNG.gray(width: 10_000, height: 10_000, bitDepth: 8), "liar.png")
        assertOneLineError(try mammoseg("info", png), naming: png, mentioning: ["10000x10000", "can hold"])
    }

    func testMaxPixelsIsAUserLimit() throws {
        let png = try image()
        assertOneLineError(try mammoseg("info", "--max-pixels", "1000", png), naming: png, mentioning: ["1000 pixels", "--max-pixels"])
        XCTAssertEqual(try mammoseg("info", "--max-pixels", "4096", png).status, 0)
        assertOneLineError(try mammoseg("info", "--max-pixels", "0", png), naming: nil, mentioning: ["--max-pixels"])
        assertOneLineError(try mammoseg("info", "--max-pixels", "-5", png), naming: nil, mentioning: ["--max-pixels"])
    }

    func testDeflatedDICOMThatInflatesPastTheLimit() throws {
        // 20 MB of zeros deflate to ~20 kB; the reader must stop at the limit, not inflate it all.
        let body = try RawDeflate.deflate([UInt8](repeating: 0, count: 20_000_000), file: "bomb")
        let dicom = write(CraftedDICOM.deflated(body: body), "bomb.dcm")
        assertOneLineError(try mammoseg("info", "--max-decompressed-bytes", "1000000", dicom),
                           naming: dicom, mentioning: ["1000000 bytes", "--max-decompressed-bytes"])
        assertOneLineError(try mammoseg("info", "--max-decompressed-bytes", "0", dicom),
                           naming: nil, mentioning: ["--max-decompressed-bytes"])
    }

    // MARK: mini-MIAS Info.txt

    func testMIASInfoWithImpossibleNumbers() throws {
        let root = folder.join("mias")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let pgm = Array("P5 8 8 255\n".utf8) + [UInt8](repeating: 100, count: 64)
        FileManager.default.createFile(atPath: root + "/mdb001.pgm", contents: Data(pgm))
        let rows = ["mdb001 G CIRC B nan 4 2", "mdb001 G CIRC B 4 inf 2", "mdb001 G CIRC B 4 4 1e300",
                    "mdb001 G CIRC B -3 4 2", "mdb99999999999999999999 G CIRC B 4 4 2", "mdb-5 G NORM"]
        for (index, row) in rows.enumerated() {
            try "REFNUM BG CLASS SEVERITY X Y RADIUS\n\(row)\n".write(toFile: root + "/Info.txt", atomically: true, encoding: .utf8)
            assertOneLineError(try mammoseg("import", "mias", "--root", root, "--out", folder.join("out\(index)")),
                               naming: root + "/Info.txt", mentioning: ["line 2"])
        }
    }

    // MARK: Checkpoint metadata

    func testCheckpointMetadataOutOfRange() throws {
        let image = try image()
        for (key, value) in [("width", "1e300"), ("width", "nan"), ("width", "-1"), ("width", "inf"),
                             ("size", "9223372036854775807"), ("size", "1e300"), ("size", "-64"), ("size", "1048576")] {
            let path = try checkpoint(metadata: [key: value])
            assertOneLineError(try mammoseg("predict", "--checkpoint", path, "--out", folder.join("out"), image),
                               naming: path, mentioning: [key])
        }
    }

    func testTruncatedCheckpoints() throws {
        let good = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try checkpoint())))
        let headerEnd = 8 + (Int(good[0]) | Int(good[1]) << 8 | Int(good[2]) << 16)
        let image = try image()
        for length in [0, 1, 7, 8, 9, headerEnd - 1, headerEnd, headerEnd + 1, good.count / 2, good.count - 1] {
            let path = write(Array(good.prefix(length)), "truncated-\(length).safetensors")
            assertOneLineError(try mammoseg("predict", "--checkpoint", path, "--out", folder.join("out"), image),
                               naming: path)
        }
    }

    // MARK: Flags

    func testNumericFlagsOutOfRange() throws {
        let data = folder.join("data")
        try TinyDataset.write(to: data, count: 8)
        let image = try image(), checkpoint = try checkpoint()
        let train = ["train", "--data", data, "--out", folder.join("run")]
        let predict = ["predict", "--checkpoint", checkpoint, "--out", folder.join("out"), image]
        let cases: [([String], String)] = [
            (["bench", "--width", "1e300"], "--width"), (["bench", "--width", "nan"], "--width"),
            (["bench", "--width", "-1"], "--width"), (["bench", "--width", "0"], "--width"),
            (["bench", "--size", "9223372036854775807"], "--size"), (["bench", "--size", "-32"], "--size"),
            (["bench", "--size", "1048576"], "--size"), (["bench", "--batch", "0"], "--batch"),
            (["bench", "--batch", "9223372036854775807"], "--batch"), (["bench", "--steps", "-1"], "--steps"),
            (["bench", "--threads", "0"], "--threads"), (["summary", "--width", "inf"], "--width"),
            (["probe", "--width", "1e300"], "--width"),
            (train + ["--lr", "nan"], "--lr"), (train + ["--lr", "inf"], "--lr"), (train + ["--lr", "-1"], "--lr"),
            (train + ["--epochs", "0"], "--epochs"), (train + ["--batch", "100000000"], "--batch"),
            (train + ["--pos-weight", "nan"], "--pos-weight"), (train + ["--weight-decay", "-1"], "--weight-decay"),
            (train + ["--decay-factor", "nan"], "--decay-factor"), (train + ["--minutes", "nan"], "--minutes"),
            (train + ["--width", "1e300"], "--width"), (train + ["--keep-checkpoints", "-1"], "--keep-checkpoints"),
            (train + ["--size", "9223372036854775807"], "9223372036854775807"),
            (predict + ["--width", "1e300"], "--width"), (predict + ["--tile", "9223372036854775807"], "--tile"),
            (predict + ["--threshold", "nan"], "--threshold"),
            (["evaluate", "--checkpoint", checkpoint, "--data", data, "--width", "nan"], "--width"),
            (["inspect", "--checkpoint", checkpoint, "--layer", "up1", "--out", folder.join("m.png"), "--size", "-1", image], "--size"),
            (["synth", "--out", folder.join("s"), "--count", "-1"], "--count"),
            (["synth", "--out", folder.join("s"), "--normal-fraction", "nan"], "--normal-fraction"),
            (["import", "folder", "--images", data, "--out", folder.join("i"), "--scale", "nan"], "--scale"),
            (["import", "folder", "--images", data, "--out", folder.join("i"), "--longest-side", "9223372036854775807"], "--longest-side"),
            (["import", "folder", "--images", data, "--out", folder.join("i"), "--val-fraction", "nan"], "--val-fraction"),
            (["bench-loader", "--data", data, "--workers", "100000"], "--workers"),
            (["demo", "--out", folder.join("demo"), "--minutes", "inf"], "--minutes"),
        ]
        for (arguments, flag) in cases {
            let result = try mammoseg(arguments)
            assertOneLineError(result, naming: nil, mentioning: [flag])
            XCTAssertNotEqual(result.status, 0, arguments.joined(separator: " "))
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: folder.join("run")), "nothing written for refused flags")
    }

    // MARK: Datasets

    func testManifestNamingAMissingImage() throws {
        let data = folder.join("data")
        try TinyDataset.write(to: data, count: 8)
        let dataset = try PreparedDataset(root: data)
        let entry = try XCTUnwrap(dataset.entries(split: .train).first)
        try FileManager.default.removeItem(atPath: dataset.imagePath(entry))
        assertOneLineError(try mammoseg(tinyTrainArguments(data: data, out: folder.join("run"), epochs: 1)),
                           naming: dataset.imagePath(entry))
    }

    func testDatasetWithoutALesion() throws {
        let data = folder.join("normal-only")
        var options = SyntheticDataset.Options()
        options.count = 8; options.size = 64; options.seed = 5; options.normalFraction = 1
        try SyntheticDataset.write(to: data, options: options, overwrite: true)
        assertOneLineError(try mammoseg(tinyTrainArguments(data: data, out: folder.join("run"), epochs: 1)),
                           naming: data + "/manifest.csv", mentioning: ["lesion"])
    }

    // MARK: A full disk

    /// Predictions onto a nearly full tmpfs: the write fails with one line saying the disk is
    /// full, the previous outputs stay byte for byte, and no temporary file is left behind.
    func testFullDiskKeepsThePreviousOutputs() throws {
        let disk = folder.join("disk")
        try FileManager.default.createDirectory(atPath: disk, withIntermediateDirectories: true)
        guard SmallDisk.mount(at: disk, kilobytes: 256) else {
            throw XCTSkip("cannot mount a tmpfs at \(disk) (needs root with CAP_SYS_ADMIN); the full-disk test cannot run here")
        }
        defer { SmallDisk.unmount(disk) }
        let out = disk + "/out", image = try image(width: 96, height: 96)
        let predict = ["predict", "--checkpoint", try checkpoint(), "--out", out, image]
        XCTAssertEqual(try mammoseg(predict).status, 0)
        let before = try SmallDisk.contents(of: out)
        SmallDisk.fill(disk + "/filler")
        let result = try mammoseg(predict + ["--mask"])
        assertOneLineError(result, naming: out, mentioning: ["No space left", "unchanged"])
        let after = try SmallDisk.contents(of: out)
        XCTAssertEqual(after.filter { before[$0.key] != nil }, before, "previous outputs changed")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: out).filter { $0.hasPrefix(".") }, [],
                       "temporary files left behind")
    }

    /// Ctrl-C in the middle of writing heatmaps: whatever was written is complete (every PNG
    /// decodes) and no temporary file is left, whenever the signal lands.
    func testCtrlCWhileWritingLeavesOnlyCompleteFiles() throws {
        try interruptWhileWriting(environment: [:]) { out in
            ((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).contains { $0.hasSuffix("_heatmap.png") }
        }
    }

    /// The same where the file system lacks O_TMPFILE (some container overlays), so every write
    /// goes through a named temporary file: the signal is sent the moment one is seen, and the
    /// handler must remove it before the process dies.
    func testCtrlCWhileANamedTemporaryFileExistsRemovesIt() throws {
        try interruptWhileWriting(environment: ["MAMMOSEG_ATOMIC_WRITE_NAMED_TEMP": "1"]) { out in
            ((try? FileManager.default.contentsOfDirectory(atPath: out)) ?? []).contains { $0.contains(".tmp-") }
        }
    }

    private func interruptWhileWriting(environment: [String: String], until moment: (String) -> Bool) throws {
        let out = folder.join("out")
        let inputs = try (0..<12).map { try image(width: 512, height: 512, name: "image\($0).png") }
        let child = try MammosegProcess(["predict", "--checkpoint", try checkpoint(), "--out", out, "--mask"] + inputs,
                                        folder: folder.path, environment: environment)
        let deadline = Date().addingTimeInterval(120)
        var arrived = false
        while !arrived, Date() < deadline, child.process.isRunning {
            arrived = moment(out)
            if !arrived { usleep(200) }
        }
        XCTAssertTrue(arrived, "the moment to interrupt never came")
        child.signal(SIGINT)
        let result = child.wait()
        XCTAssertTrue(result.reason == .uncaughtSignal || result.status != 0 || result.stdout.contains("wrote"), result.stderr)
        for name in try FileManager.default.contentsOfDirectory(atPath: out) {
            XCTAssertFalse(name.hasPrefix("."), "temporary file \(name) left behind")
            XCTAssertNoThrow(try PNG.readGray(out + "/" + name), name)
        }
    }
}

/// A tmpfs of a given size (root only), for full-disk tests.
enum SmallDisk {
    static func mount(at path: String, kilobytes: Int) -> Bool {
        run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(kilobytes)k", "tmpfs", path])
    }

    static func unmount(_ path: String) { _ = run("/bin/umount", [path]) }

    /// Writes zeros until the disk is full.
    static func fill(_ file: String) {
        _ = run("/bin/dd", ["if=/dev/zero", "of=\(file)", "bs=4096"])
    }

    static func contents(of folder: String) throws -> [String: Data] {
        var files: [String: Data] = [:]
        for name in try FileManager.default.contentsOfDirectory(atPath: folder) {
            files[name] = FileManager.default.contents(atPath: folder + "/" + name)
        }
        return files
    }

    private static func run(_ tool: String, _ arguments: [String]) -> Bool {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()
        return process.terminationStatus == 0
    }
}
