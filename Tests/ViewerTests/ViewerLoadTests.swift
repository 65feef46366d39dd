import Foundation
import MammoData
import XCTest

/// Twenty prediction requests at once, each a different full-field 4700 × 2600 16-bit mammogram: every
/// one answers with its score, and the server's peak resident memory stays under 2 GB (uploads stream
/// to disk; the predictions queue behind one predictor).
final class ViewerLoadTests: XCTestCase {
    func testTwentyConcurrentPredictionsOfFullSizeMammogramsStayUnderTwoGigabytes() throws {
        let folder = TemporaryFolder(name)
        let images = folder.join("images")
        try ViewerFixtures.writeFourViewPNGExam(folder: images, width: 60, height: 80)
        let server = try ServeProcess(["--checkpoint", try ViewerFixtures.checkpoint(), "--images", images,
                                       "--state", folder.join("state"), "--port", "0", "--threads", "2"], folder: folder.path)
        defer { server.stop() }

        // One 4700 × 2600 mammogram as 16-bit binary PGM (big-endian samples); each request gets its own
        // comment line, so the twenty files differ and none is answered from another's cache.
        let (width, height) = (4700, 2600)
        let image = ViewerFixtures.breast(width: width, height: height, chestWallOnRight: false)
        var samples = [UInt8](repeating: 0, count: width * height * 2)
        for (i, value) in image.pixels.enumerated() { samples[2 * i] = UInt8(value >> 8); samples[2 * i + 1] = UInt8(value & 0xFF) }

        let count = 20
        let replies = Replies(count)
        let started = Date()
        let threads = (0..<count).map { index in
            Thread {
                let header = Array("P5\n# request \(index)\n\(width) \(height)\n65535\n".utf8)
                replies.set(index, Result { try RawHTTP.post(port: server.port, "/api/predict?name=load-\(index).pgm",
                                                             body: samples, bodyPrefix: header, timeout: 600) })
            }
        }
        threads.forEach { $0.stackSize = 1 << 20; $0.start() }
        replies.wait()
        let seconds = Date().timeIntervalSince(started)

        var ids = Set<String>()
        for index in 0..<count {
            let reply = try XCTUnwrap(replies.results[index]).get()
            XCTAssertEqual(reply.status, 200, "request \(index): \(reply.text)")
            let answer = try JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any]
            let score = try XCTUnwrap(answer?["score"] as? Double, "request \(index): \(reply.text)")
            XCTAssertTrue((0...1).contains(score), "request \(index): score \(score)")
            if let id = answer?["id"] as? String { ids.insert(id) }
        }
        XCTAssertEqual(ids.count, count, "the twenty uploads were not twenty images")
        let peak = try XCTUnwrap(server.peakResidentBytes, "no VmHWM for the server")
        print("load: \(count) concurrent 4700x2600 predictions in \(String(format: "%.1f", seconds)) s, "
              + "server peak RSS \(peak >> 20) MiB")
        XCTAssertLessThanOrEqual(peak, 2_000_000_000, "peak RSS \(peak >> 20) MiB")
        XCTAssertEqual(try RawHTTP.get(port: server.port, "/api/worklist").status, 200)
    }
}

/// The twenty threads' results, and a wait for all of them.
private final class Replies: @unchecked Sendable {
    private let lock = NSCondition()
    private(set) var results: [Result<RawHTTP.Reply, Error>?]
    private var remaining: Int

    init(_ count: Int) { results = Array(repeating: nil, count: count); remaining = count }

    func set(_ index: Int, _ result: Result<RawHTTP.Reply, Error>) {
        lock.lock(); results[index] = result; remaining -= 1; lock.broadcast(); lock.unlock()
    }

    func wait() { lock.lock(); while remaining > 0 { lock.wait() }; lock.unlock() }
}
