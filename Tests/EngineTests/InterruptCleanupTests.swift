import CInterruptCleanup
import Foundation
import XCTest
@testable import Engine

/// The registry a signal handler empties before the process dies (the dying itself is
/// `HostileInputTests.testCtrlCWhileANamedTemporaryFileExistsRemovesIt`, in a child process).
final class InterruptCleanupTests: XCTestCase {
    var folder: TemporaryFolder!

    override func setUpWithError() throws { folder = try TemporaryFolder() }
    override func tearDown() { folder.remove() }

    func testRemovesRegisteredFilesAndOnlyThose() throws {
        let registered = folder.file(".a.tmp-1"), forgotten = folder.file(".b.tmp-2"), other = folder.file("keep.png")
        for path in [registered, forgotten, other] { XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data([1]))) }
        let slot = mammoseg_interrupt_cleanup_register(registered)
        let forgottenSlot = mammoseg_interrupt_cleanup_register(forgotten)
        XCTAssertGreaterThanOrEqual(slot, 0)
        mammoseg_interrupt_cleanup_unregister(forgottenSlot)
        InterruptCleanup.removeTemporaryFiles()
        mammoseg_interrupt_cleanup_unregister(slot)
        XCTAssertEqual(try folder.contents(), [".b.tmp-2", "keep.png"])
    }

    func testCompletedAtomicWritesLeaveNothingRegistered() throws {
        setenv("MAMMOSEG_ATOMIC_WRITE_NAMED_TEMP", "1", 1)
        defer { unsetenv("MAMMOSEG_ATOMIC_WRITE_NAMED_TEMP") }
        let target = folder.file("map.png")
        for round in 0..<100 { try writeFileAtomically([UInt8(round)], to: target) }
        // Every slot must be free again: 64 registrations succeed.
        let slots = (0..<64).map { _ in mammoseg_interrupt_cleanup_register(folder.file("never-created")) }
        defer { slots.forEach(mammoseg_interrupt_cleanup_unregister) }
        XCTAssertFalse(slots.contains(-1), "an atomic write left its temporary name registered")
        XCTAssertEqual(mammoseg_interrupt_cleanup_register(folder.file("one-too-many")), -1)
        XCTAssertEqual(try folder.contents(), ["map.png"])
    }

    func testAPathLongerThanASlotIsRefusedNotTruncated() {
        XCTAssertEqual(mammoseg_interrupt_cleanup_register(String(repeating: "a", count: 5000)), -1)
    }
}
