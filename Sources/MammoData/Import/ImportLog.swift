import Foundation

/// What an importer tells the user: a progress bar on stderr, one line per skipped or
/// adjusted input (with the reason), and a one-line summary. Counts of skip reasons go
/// into `dataset.json`. Safe to use from several threads.
public final class ImportLog: @unchecked Sendable {
    private let write: @Sendable (String) -> Void
    private let showProgress: Bool
    private let lock = NSLock()
    private var total = 0, done = 0
    private var barShown = false
    public private(set) var skipped: [String: Int] = [:]
    public private(set) var notes: [String] = []

    /// `write` receives finished text (default: stderr); the bar is drawn only when `showProgress`.
    public init(showProgress: Bool = true, write: (@Sendable (String) -> Void)? = nil) {
        self.showProgress = showProgress
        self.write = write ?? { text in FileHandle.standardError.write(Data(text.utf8)) }
    }

    public func begin(total: Int) {
        lock.lock(); self.total = total; done = 0; lock.unlock()
        drawBar()
    }

    public func advance() {
        lock.lock(); done += 1; lock.unlock()
        drawBar()
    }

    /// An input left out: `item` names it, `reason` is a short category (counted), `detail` explains.
    public func skip(_ item: String, reason: String, detail: String) {
        lock.lock(); skipped[reason, default: 0] += 1; lock.unlock()
        line("skipped \(item): \(reason) (\(detail))")
    }

    /// Something changed on the way in (a mask resized, a file classified by content).
    public func note(_ message: String) {
        lock.lock(); notes.append(message); lock.unlock()
        line("note: \(message)")
    }

    /// The one-line summary, e.g. `imported 40 images (12 with lesions), skipped 2 (aspect mismatch: 2)`.
    public func summary(_ entries: [DatasetEntry], into root: String) -> String {
        lock.lock(); defer { lock.unlock() }
        let lesions = entries.filter { $0.label != .normal }.count
        let splits = Split.allCases.map { split in "\(split.rawValue) \(entries.filter { $0.split == split }.count)" }
        let skippedTotal = skipped.values.reduce(0, +)
        let reasons = skipped.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ")
        return "imported \(entries.count) images (\(lesions) with lesions; \(splits.joined(separator: ", "))) into \(root)"
            + ", skipped \(skippedTotal)" + (reasons.isEmpty ? "" : " (\(reasons))")
    }

    /// Ends the progress bar's line.
    public func finish() {
        lock.lock(); defer { lock.unlock() }
        if barShown { write("\n"); barShown = false }
    }

    private func line(_ text: String) {
        lock.lock(); defer { lock.unlock() }
        write((barShown ? "\r\u{1B}[K" : "") + text + "\n")
        barShown = false
        if showProgress { write(bar()); barShown = true }
    }

    private func drawBar() {
        guard showProgress else { return }
        lock.lock(); defer { lock.unlock() }
        write("\r" + bar()); barShown = true
    }

    private func bar() -> String {
        let width = 30
        let filled = total > 0 ? min(width, done * width / total) : 0
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "] \(done)/\(total)"
    }
}
