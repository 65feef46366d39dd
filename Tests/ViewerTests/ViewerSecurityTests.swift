import Foundation
import MammoData
import XCTest

/// `mammoseg serve` against hostile requests, over raw sockets on loopback: it listens on 127.0.0.1 by
/// default, serves nothing outside DIR (`..`, percent-encoded forms, links leading out), caps and checks
/// uploads, answers malformed requests with a 4xx and a short message, never shows a server path, and
/// keeps serving after each.
final class ViewerSecurityTests: XCTestCase {
    static var folder: TemporaryFolder!
    static var server: ServeProcess!
    var port: Int { Self.server.port }
    var root: String { Self.folder.path }

    override class func setUp() {
        super.setUp()
        let folder = TemporaryFolder("security")
        Self.folder = folder
        do {
            let images = folder.join("images")
            try ViewerFixtures.writeFourViewPNGExam(folder: images + "/exam", width: 120, height: 160)
            // Outside DIR: an image reached through a file link and a folder link inside DIR.
            let outside = folder.join("outside")
            try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
            try PNG.write(ViewerFixtures.breast(width: 64, height: 64, chestWallOnRight: false), to: outside + "/secret.png")
            try "top secret".write(toFile: outside + "/secret.txt", atomically: true, encoding: .utf8)
            try FileManager.default.createSymbolicLink(atPath: images + "/escape.png", withDestinationPath: outside + "/secret.png")
            try FileManager.default.createSymbolicLink(atPath: images + "/linked", withDestinationPath: outside)
            Self.server = try ServeProcess(["--checkpoint", try ViewerFixtures.checkpoint(), "--images", images,
                                            "--state", folder.join("state"), "--port", "0", "--threads", "1",
                                            "--max-upload-mb", "1"], folder: folder.path)
        } catch {
            XCTFail("cannot start the server: \(error)")
        }
    }

    override class func tearDown() {
        server?.stop()
        server = nil
        folder = nil
        super.tearDown()
    }

    override func setUpWithError() throws {
        guard Self.server != nil else { throw XCTSkip("the server did not start") }
    }

    /// A reply fit to show a user: JSON or nothing, no server path, no trace.
    func assertClean(_ reply: RawHTTP.Reply, _ what: String, file: StaticString = #filePath, line: UInt = #line) {
        let text = reply.text
        XCTAssertFalse(text.contains(root), "\(what): the reply names a server path: \(text)", file: file, line: line)
        XCTAssertFalse(text.contains("/tmp") || text.contains(NSTemporaryDirectory()), "\(what): path in \(text)", file: file, line: line)
        for marker in ["Fatal error", "Stack", "stack trace", ".swift:", "0x0000"] {
            XCTAssertFalse(text.contains(marker), "\(what): '\(marker)' in \(text)", file: file, line: line)
        }
        XCTAssertLessThan(text.count, 400, "\(what): long reply \(text)", file: file, line: line)
    }

    func assertStillServing(file: StaticString = #filePath, line: UInt = #line) throws {
        let reply = try RawHTTP.get(port: port, "/api/worklist")
        XCTAssertEqual(reply.status, 200, "the server stopped serving", file: file, line: line)
    }

    func testListensOnLoopbackOnlyByDefault() throws {
        XCTAssertEqual(Self.server.host, "127.0.0.1")
        // /proc/net/tcp lists listening sockets as hex address:port; loopback is 0100007F.
        let table = try String(contentsOfFile: "/proc/net/tcp", encoding: .utf8)
        let portHex = String(format: ":%04X", port)
        let listening = table.split(separator: "\n").filter { $0.contains(portHex + " ") && $0.split(separator: " ")[3] == "0A" }
        XCTAssertFalse(listening.isEmpty, "no listening socket on port \(port)")
        for row in listening {
            XCTAssertTrue(row.split(separator: " ")[1].hasPrefix("0100007F"), "listens on \(row.split(separator: " ")[1]), not 127.0.0.1")
        }
    }

    func testPathTraversalIsRefused() throws {
        let targets = [
            "/../../../../etc/passwd", "/..%2f..%2f..%2fetc%2fpasswd", "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
            "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "/..%252f..%252fetc%252fpasswd", "/viewer.js/../../../etc/passwd",
            "/api/images/../../../etc/passwd", "/api/images/..%2F..%2F..%2Fetc%2Fpasswd/pixels",
            "/api/images/%2e%2e%2foutside%2fsecret.txt/pixels", "/api/images/escape.png/pixels", "/linked/secret.txt",
            "/images/linked/secret.png", "/api/images/....//....//etc/passwd", "//etc/passwd", "/%00/etc/passwd",
            "/api/images/" + String(repeating: "a", count: 16) + "/pixels",
        ]
        for target in targets {
            let reply = try RawHTTP.get(port: port, target)
            let status = try XCTUnwrap(reply.status, "\(target): no HTTP reply")
            XCTAssertTrue((400..<500).contains(status), "\(target): status \(status)")
            XCTAssertFalse(reply.text.contains("root:") || reply.text.contains("top secret"), "\(target): leaked \(reply.text.prefix(80))")
            assertClean(reply, target)
        }
        // The links leading out of DIR are not in the worklist: only the four images inside are.
        let list = try RawHTTP.get(port: port, "/api/worklist").text
        XCTAssertFalse(list.contains("escape") || list.contains("secret") || list.contains("linked"), list)
        let worklist = try JSONSerialization.jsonObject(with: Data(list.utf8)) as? [String: Any]
        XCTAssertEqual(worklist?["total"] as? Int, 4, list)
        try assertStillServing()
    }

    func testUploadsAreCappedAndChecked() throws {
        // Over the 1 MiB cap: refused by its Content-Length, before it is read.
        let big = [UInt8](repeating: 7, count: 2 << 20)
        let tooLarge = try RawHTTP.post(port: port, "/api/predict", body: big)
        XCTAssertEqual(tooLarge.status, 413, tooLarge.text)
        assertClean(tooLarge, "too large")
        // Over the cap without a length: chunked, cut off while it streams.
        var chunked = "POST /api/predict HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        chunked += String(format: "%x\r\n", 1 << 19) + String(repeating: "a", count: 1 << 19) + "\r\n"
        let streamed = try RawHTTP.exchange(port: port, head: chunked, body: [UInt8](repeating: 0x62, count: 0),
                                            bodyPrefix: Array((String(format: "%x\r\n", 1 << 20) + String(repeating: "b", count: 1 << 20) + "\r\n0\r\n\r\n").utf8))
        XCTAssertTrue(streamed.isEmpty || streamed.status == 413, "streamed over the cap: \(streamed.status ?? -1) \(streamed.text)")
        try assertStillServing()

        let garbage = try RawHTTP.post(port: port, "/api/predict", body: Array("this is not an image".utf8))
        XCTAssertEqual(garbage.status, 415, garbage.text)
        XCTAssertTrue(garbage.text.contains("not a PNG, DICOM or PGM"), garbage.text)
        assertClean(garbage, "garbage")

        let empty = try RawHTTP.post(port: port, "/api/predict", body: [])
        XCTAssertEqual(empty.status, 400, empty.text)
        assertClean(empty, "empty")

        // A PNG signature and header, then nothing: recognised, but it does not decode.
        let png = try PNG.encode(ViewerFixtures.breast(width: 64, height: 64, chestWallOnRight: false))
        let truncated = try RawHTTP.post(port: port, "/api/predict?name=%2Fetc%2Fcut.png", body: Array(png.prefix(60)))
        XCTAssertEqual(truncated.status, 422, truncated.text)
        XCTAssertTrue(truncated.text.contains("could not be read"), truncated.text)
        assertClean(truncated, "truncated PNG")

        // A header claiming 60000 × 60000 pixels: refused by the read limits, not allocated.
        var pgm = Array("P5\n60000 60000\n65535\n".utf8)
        pgm += [UInt8](repeating: 1, count: 1000)
        let huge = try RawHTTP.post(port: port, "/api/predict?name=huge.pgm", body: pgm)
        XCTAssertEqual(huge.status, 422, huge.text)
        assertClean(huge, "huge PGM")

        // Refused uploads leave no trace in the worklist; a good one is predicted and listed.
        let good = try RawHTTP.post(port: port, "/api/predict?name=quick.png", body: png)
        XCTAssertEqual(good.status, 200, good.text)
        XCTAssertTrue(good.text.contains("\"score\""), good.text)
        let list = try RawHTTP.get(port: port, "/api/worklist").text
        XCTAssertTrue(list.contains("upload: quick.png"), list)
        XCTAssertFalse(list.contains("cut.png") || list.contains("huge.pgm"), list)
        try assertStillServing()
    }

    func testMalformedRequestsGet4xxAndTheServerKeepsServing() throws {
        let requests = [
            "GARBAGE\r\n\r\n",
            "GET / HTTP/1.1\r\nHost\r\nConnection: close\r\n\r\n",
            "GET / HTTP/9.9\r\nHost: x\r\n\r\n",
            "POST /api/predict HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\nConnection: close\r\n\r\n",
            "POST /api/predict HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nContent-Length: 9\r\nConnection: close\r\n\r\nhello",
            "GET /\u{01}\u{02} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
            "\r\n\r\n\r\n",   // no request line at all: the server waits (then closes it when idle)
        ]
        for request in requests {
            let reply = try RawHTTP.exchange(port: port, head: request, timeout: request.hasPrefix("\r\n") ? 2 : 10)
            if let status = reply.status {
                XCTAssertTrue((400..<500).contains(status), "\(request.debugDescription): status \(status)")
            }
            XCTAssertTrue(reply.isEmpty || reply.status != nil, "\(request.debugDescription): not HTTP: \(reply.text.prefix(80))")
            assertClean(reply, request.debugDescription)
            try assertStillServing()
        }
        // Methods and paths that do not exist, and an id that is not in the catalogue: 4xx with a short JSON message.
        for (method, target) in [("DELETE", "/api/worklist"), ("PUT", "/"), ("GET", "/api/images/0123456789abcdef"),
                                 ("GET", "/api/images/0123456789abcdef/probability.png"), ("GET", "/nothing-here")] {
            let reply = try RawHTTP.exchange(port: port, head: "\(method) \(target) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            let status = try XCTUnwrap(reply.status, "\(method) \(target)")
            XCTAssertTrue((400..<500).contains(status), "\(method) \(target): \(status)")
            assertClean(reply, "\(method) \(target)")
        }
        let missing = try RawHTTP.get(port: port, "/api/images/0123456789abcdef")
        XCTAssertTrue(missing.text.contains("no such image"), missing.text)
        let unknown = try RawHTTP.get(port: port, "/nothing-here")
        XCTAssertEqual(unknown.text, #"{"error":{"message":"not found"}}"#)
        try assertStillServing()
    }

    func testEveryResponseCarriesTheSecurityHeaders() throws {
        for target in ["/", "/viewer.js", "/api/worklist", "/nothing-here"] {
            let headers = try RawHTTP.get(port: port, target).headers.lowercased()
            XCTAssertTrue(headers.contains("content-security-policy: default-src 'self'"), "\(target): \(headers)")
            XCTAssertTrue(headers.contains("x-content-type-options: nosniff"), "\(target): \(headers)")
        }
    }
}
