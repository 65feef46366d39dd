import Foundation
import Engine

/// Writes to stderr (progress, messages) without buffering surprises.
enum FileHandleOutput {
    static func stderr(_ s: String) {
        FileHandle.standardError.write(Data(s.utf8))
    }
}

/// A one-line progress bar on stderr: `label [#####.....] 12/40 3.1 img/s loss 0.41 ETA 0:42`.
/// Redrawn in place on a terminal. When stderr is a file or pipe (nohup, CI) it writes its first
/// state, then a line at most every `logInterval` seconds and the last state when the work took
/// that long: a log of short training epochs keeps to their one-line summaries, long work still
/// shows progress (tqdm's `mininterval` for files).
final class ProgressBar {
    static let logInterval: Double = 30
    let label: String
    let total: Int
    let started = Date()
    private var lastLogged: Date?
    private let interactive = isatty(2) != 0
    private let lock = NSLock()
    private var completed = 0
    /// Draws nothing (the processes of an MPI job other than the first).
    private let silent: Bool

    init(label: String, total: Int, silent: Bool = false) { self.label = label; self.total = max(1, total); self.silent = silent }

    func update(_ done: Int, detail: String = "") {
        guard !silent else { return }
        let fraction = Double(done) / Double(total)
        let elapsed = Date().timeIntervalSince(started)
        let eta = done > 0 ? elapsed / Double(done) * Double(total - done) : 0
        let width = 24
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let line = "\(label) [\(bar)] \(done)/\(total) \(detail) ETA \(Self.clock(eta))"
        if interactive {
            FileHandleOutput.stderr("\r\u{1B}[K" + line + (done >= total ? "\n" : ""))
        } else {
            let now = Date()
            let finished = done >= total
            let due = lastLogged.map { now.timeIntervalSince($0) >= Self.logInterval } ?? true
            if lastLogged == nil || (finished ? elapsed >= Self.logInterval : due) {
                lastLogged = now
                FileHandleOutput.stderr(line + "\n")
            }
        }
    }

    /// One more item done; safe to call from several threads.
    func advance(detail: String = "") {
        lock.lock(); defer { lock.unlock() }
        completed += 1
        update(completed, detail: detail)
    }

    static func clock(_ seconds: Double) -> String {
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}

/// Ctrl-C (SIGINT) and SIGTERM set a flag the trainer polls between steps, so a run stops
/// cleanly after saving; a second Ctrl-C exits at once.
enum StopSignal {
    nonisolated(unsafe) static var requested = false

    static func install() {
        let handler: @convention(c) (Int32) -> Void = { _ in
            if StopSignal.requested { InterruptCleanup.removeTemporaryFiles(); _exit(130) }
            StopSignal.requested = true
        }
        signal(SIGINT, handler)
        signal(SIGTERM, handler)
    }
}
