import Foundation
import XCTest

/// Every compressed syntax, encoded by other people's encoders (DCMTK, GDCM, OpenJPEG, pydicom +
/// pylibjpeg-openjpeg) at test time, decoded by `mammoseg convert … .npy` and compared with pydicom
/// + pylibjpeg file by file (scripts/make_dicom_corpus.py, scripts/check_dicom_corpus.py;
/// `make test` installs the tools through scripts/setup_test_tools.sh).
final class DICOMCorpusTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    func testEveryEncodersFilesDecodeAsPydicomDecodesThem() throws {
        let folder = TemporaryFolder()
        let corpus = folder.join("corpus")
        let made = try Self.python(["scripts/make_dicom_corpus.py", corpus, "--size", "320x240"])
        XCTAssertEqual(made.status, 0, made.output)
        let checked = try Self.python(["scripts/check_dicom_corpus.py", corpus,
                                       "--mammoseg", try MammosegProcess.executable().path])
        XCTAssertEqual(checked.status, 0, checked.output)
        let summary = checked.output.split(separator: "\n").last.map(String.init) ?? ""
        XCTAssertTrue(summary.hasSuffix(" passed, 0 failed"), checked.output)
        let passed = Int(summary.split(separator: " ").first ?? "") ?? 0
        XCTAssertGreaterThanOrEqual(passed, 45, "the corpus should hold every syntax and variant:\n\(made.output)\n\(checked.output)")
    }

    static func python(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.currentDirectoryURL = repository
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("corpus-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        return (process.terminationStatus, try String(contentsOf: log, encoding: .utf8))
    }
}
