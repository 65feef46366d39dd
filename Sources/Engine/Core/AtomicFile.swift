import CInterruptCleanup
import Foundation

/// A file could not be written; `description` is one line naming the file.
public struct FileWriteError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let reason: String

    public init(file: String, reason: String) {
        self.file = file
        self.reason = reason
    }

    public var description: String { "\(file): \(reason)" }
}

/// Writes `bytes` to `path` so that a reader sees either the old file or the complete new
/// one, never a partial write, even across a crash or power loss:
/// temp file in the same folder → write → fsync → rename over `path` → fsync the folder.
public func writeFileAtomically(_ bytes: [UInt8], to path: String) throws {
    try bytes.withUnsafeBytes { try writeFileAtomically($0, to: path) }
}

/// `Data` flavour of `writeFileAtomically(_:to:)`.
public func writeFileAtomically(_ data: Data, to path: String) throws {
    try data.withUnsafeBytes { try writeFileAtomically($0, to: path) }
}

/// Raw-buffer flavour of `writeFileAtomically(_:to:)`; the one that does the work.
///
/// On Linux the bytes go first into an unnamed file (O_TMPFILE) that only gets a name once it
/// is complete and synced, so a process killed mid-write (SIGKILL, a full disk) leaves nothing
/// behind; elsewhere, or where the file system lacks O_TMPFILE (overlay file systems of some
/// containers), into a named temp file that is removed on every error. While a temporary name
/// exists, Ctrl-C, SIGTERM or SIGHUP remove it before they end the process (`InterruptCleanup`).
public func writeFileAtomically(_ bytes: UnsafeRawBufferPointer, to path: String) throws {
    let folder = folderOf(path)
    // Same folder as the target so that rename(2) is atomic (same file system).
    let fileName = (path as NSString).lastPathComponent
    let temporaryPath = "\(folder)/.\(fileName).tmp-\(getpid())-\(UInt32.random(in: 0 ... .max))"
    let unchanged = FileManager.default.fileExists(atPath: path) ? "; the previous file is unchanged" : "; nothing was written"

    // A signal that ends the process while the temporary name exists removes it first.
    mammoseg_interrupt_cleanup_install()
    var cleanupSlot: Int32 = -1
    defer { mammoseg_interrupt_cleanup_unregister(cleanupSlot) }

    var anonymous = true
    var descriptor = openAnonymousFile(in: folder)
    if descriptor < 0 {
        anonymous = false
        cleanupSlot = mammoseg_interrupt_cleanup_register(temporaryPath)
        descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
    }
    guard descriptor >= 0 else {
        throw FileWriteError(file: path, reason: "cannot create a temporary file in \(folder) (\(lastErrorText())); "
                                               + "check that the folder exists and is writable")
    }
    var renamed = false
    defer { if !renamed { unlink(temporaryPath) } }

    do {
        defer { close(descriptor) }
        do {
            try writeAll(bytes, to: descriptor, path: path)
        } catch let error as FileWriteError {
            throw FileWriteError(file: error.file, reason: error.reason + unchanged)
        }
        guard fsync(descriptor) == 0 else {
            throw FileWriteError(file: path, reason: "fsync failed (\(lastErrorText())); check the disk\(unchanged)")
        }
        if anonymous {
            // Give the complete file its temporary name; the rename below follows at once.
            cleanupSlot = mammoseg_interrupt_cleanup_register(temporaryPath)
            guard linkat(AT_FDCWD, "/proc/self/fd/\(descriptor)", AT_FDCWD, temporaryPath, AT_SYMLINK_FOLLOW) == 0 else {
                throw FileWriteError(file: path, reason: "cannot name the new file in \(folder) (\(lastErrorText()))\(unchanged)")
            }
        }
    }
    guard rename(temporaryPath, path) == 0 else {
        throw FileWriteError(file: path, reason: "cannot replace the file (\(lastErrorText())); "
                                               + "check permissions of \(folder)\(unchanged)")
    }
    renamed = true
    syncFolder(folder)
}

/// An unnamed regular file in `folder` (Linux O_TMPFILE), or −1 where that is not available.
private func openAnonymousFile(in folder: String) -> Int32 {
    #if os(Linux)
    // Tests take the named-temp path of file systems without O_TMPFILE on any file system.
    if getenv("MAMMOSEG_ATOMIC_WRITE_NAMED_TEMP") != nil { return -1 }
    // O_TMPFILE is (__O_TMPFILE | O_DIRECTORY), a macro Swift does not import; its value is the
    // same on every Linux architecture Swift supports except the few that do not use generic flags.
    let oTmpfile: Int32 = 0o20_000_000 | O_DIRECTORY
    return open(folder, oTmpfile | O_WRONLY | O_CLOEXEC, 0o644)
    #else
    return -1
    #endif
}

/// write(2) until every byte is out, retrying after signals and short writes.
private func writeAll(_ bytes: UnsafeRawBufferPointer, to descriptor: Int32, path: String) throws {
    var written = 0
    while written < bytes.count {
        let result = write(descriptor, bytes.baseAddress! + written, bytes.count - written)
        if result < 0 {
            if errno == EINTR { continue }
            throw FileWriteError(file: path, reason: "write failed (\(lastErrorText())); check free disk space")
        }
        written += result
    }
}

/// Makes the rename durable. Best effort: some file systems cannot fsync a folder, and
/// the new file is complete either way.
private func syncFolder(_ folder: String) {
    let descriptor = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    guard descriptor >= 0 else { return }
    _ = fsync(descriptor)
    close(descriptor)
}

private func folderOf(_ path: String) -> String {
    let folder = (path as NSString).deletingLastPathComponent
    return folder.isEmpty ? "." : folder
}

private func lastErrorText() -> String {
    String(cString: strerror(errno))
}
