import Foundation
import XCTest

/// The CLI's contract for bad input: it exits (status 1–127, never a signal) and stderr is
/// exactly one line `error: …` naming `file` (when given) and mentioning each of `words`.
func assertOneLineError(_ result: MammosegProcess.Result, naming file: String?, mentioning words: [String] = [],
                        file sourceFile: StaticString = #filePath, line: UInt = #line) {
    XCTAssertEqual(result.reason, .exit, "crashed: \(result.stderr)", file: sourceFile, line: line)
    XCTAssertTrue((1...127).contains(result.status), "exit status \(result.status)", file: sourceFile, line: line)
    XCTAssertEqual(result.stderrLines.count, 1, "stderr: \(result.stderr)", file: sourceFile, line: line)
    let message = result.stderrLines.first ?? ""
    XCTAssertTrue(message.hasPrefix("error: "), message, file: sourceFile, line: line)
    if let file { XCTAssertTrue(message.contains(file), "'\(message)' does not name \(file)", file: sourceFile, line: line) }
    for word in words {
        XCTAssertTrue(message.contains(word), "'\(message)' does not mention '\(word)'", file: sourceFile, line: line)
    }
}
