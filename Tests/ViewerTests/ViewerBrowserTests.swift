import Foundation
import MammoData
import XCTest

/// The page in a real browser: Debian's Chromium driven by Playwright (`Browser/viewer_test.py`, installed
/// by scripts/setup_test_tools.sh): worklist, four-view exam, window/level, overlay controls, cursor
/// readout, downloads, upload; any JavaScript error fails. Leaves the screenshot the README shows when
/// MAMMOSEG_SCREENSHOT names where to put it.
final class ViewerBrowserTests: XCTestCase {
    func testViewerInChromium() throws {
        let chromium = "/usr/bin/chromium"
        guard FileManager.default.isExecutableFile(atPath: chromium) else {
            throw XCTSkip("\(chromium) missing; run scripts/setup_test_tools.sh")
        }
        let script = try XCTUnwrap(Bundle.module.path(forResource: "viewer_test", ofType: "py", inDirectory: "Browser"))
        let folder = TemporaryFolder(name)
        let images = folder.join("images")
        try ViewerFixtures.writeFourViewPNGExam(folder: images + "/exam-four")
        try ViewerFixtures.writeFourViewDICOMExam(folder: images + "/dicom", patient: "P0042")
        try sameStudy(folder: images + "/dicom")
        try FileManager.default.createDirectory(atPath: images + "/other", withIntermediateDirectories: true)
        try PNG.write(ViewerFixtures.breast(width: 200, height: 260, chestWallOnRight: true, seed: 9), to: images + "/other/loose.png")
        let upload = folder.join("quick-look.png")
        try PNG.write(ViewerFixtures.breast(width: 180, height: 240, chestWallOnRight: false, seed: 11), to: upload)

        let server = try ServeProcess(["--checkpoint", try ViewerFixtures.checkpoint(), "--images", images,
                                       "--state", folder.join("state"), "--port", "0", "--threads", "2"], folder: folder.path)
        defer { server.stop() }
        let screenshot = ProcessInfo.processInfo.environment["MAMMOSEG_SCREENSHOT"] ?? folder.join("viewer.png")

        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", script, "http://127.0.0.1:\(server.port)/", "exam-four", screenshot, upload]
        let log = folder.join("browser.log")
        FileManager.default.createFile(atPath: log, contents: nil)
        python.standardOutput = FileHandle(forWritingAtPath: log)
        python.standardError = FileHandle(forWritingAtPath: log)
        try python.run()
        let deadline = Date().addingTimeInterval(240)
        while python.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.2) }
        if python.isRunning { python.terminate(); python.waitUntilExit(); XCTFail("the browser test ran past 240 s") }
        let output = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        if output.contains("No module named 'playwright'") {
            throw XCTSkip("Playwright missing; run scripts/setup_test_tools.sh")
        }
        XCTAssertEqual(python.terminationStatus, 0, "browser test failed:\n\(output)\nserver: \(server.stderr)")
        // A PNG the size of the window (IHDR: width and height, big-endian, at bytes 16 and 20).
        let shot = try XCTUnwrap(FileManager.default.contents(atPath: screenshot), "no screenshot")
        let bytes = [UInt8](shot.prefix(24))
        XCTAssertEqual(Array(bytes.prefix(8)), [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let number = { (at: Int) in bytes[at..<at + 4].reduce(0) { $0 << 8 | Int($1) } }
        XCTAssertEqual([number(16), number(20)], [1600, 1000])
    }

    /// Gives the DICOM files one StudyInstanceUID (our writer makes a new one per file), with pydicom.
    func sameStudy(folder: String) throws {
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", """
            import glob, sys, pydicom
            for path in glob.glob(sys.argv[1] + "/*.dcm"):
                ds = pydicom.dcmread(path)
                ds.StudyInstanceUID = "2.25.4242"
                ds.save_as(path)
            """, folder]
        try python.run()
        python.waitUntilExit()
        guard python.terminationStatus == 0 else { throw XCTSkip("pydicom missing; run scripts/setup_test_tools.sh") }
    }
}
