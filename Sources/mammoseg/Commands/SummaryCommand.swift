import ArgumentParser
import Mammography

/// `mammoseg summary`: the layer table of a network, computed from shapes alone.
struct SummaryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "summary",
        abstract: "Print a network's layers: output shapes, parameters and multiply-accumulates.",
        discussion: """
            One row per stage (the names `inspect` accepts), with the output shape for a batch of \
            one SIZE×SIZE image, the stage's trainable parameters, then totals. Nothing is run.
            """
    )

    @OptionGroup var model: ModelOptions

    func run() throws {
        let network = try makeModel(model.arch, width: model.width, seed: 0)
        let rows = network.summarize(inputShape: [1, 1, model.size, model.size])
        print(SummaryTable(architecture: model.arch, width: model.width, size: model.size, rows: rows,
                           bufferCount: network.parameters.filter { $0.kind == .buffer }.reduce(0) { $0 + $1.value.count })
              .rendered)
    }
}

/// The text `summary` prints: aligned columns, then totals.
struct SummaryTable {
    let architecture: Architecture
    let width: Double
    let size: Int
    let rows: [LayerSummary]
    let bufferCount: Int

    var rendered: String {
        let header = ["layer", "operation", "output", "parameters", "MACs"]
        let cells = rows.map { row in
            [row.name, row.operation, row.outputShape.map(String.init).joined(separator: "×"),
             grouped(row.parameterCount), grouped(row.multiplyAccumulates)]
        }
        let widths = header.indices.map { column in ([header] + cells).map { $0[column].count }.max() ?? 0 }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { column, text in
                let padding = String(repeating: " ", count: widths[column] - text.count)
                return column >= 3 ? padding + text : text + padding  // numbers right-aligned
            }.joined(separator: "  ")
        }
        let parameters = rows.reduce(0) { $0 + $1.parameterCount }
        let macs = rows.reduce(0) { $0 + $1.multiplyAccumulates }
        let gmacs = (Double(macs) / 1e9 * 100).rounded() / 100
        return ([
            "\(architecture)  width \(width)  input 1×1×\(size)×\(size)",
            line(header),
            String(repeating: "-", count: widths.reduce(0, +) + 2 * (widths.count - 1)),
        ] + cells.map(line) + [
            "",
            "parameters: \(grouped(parameters)) trainable (+ \(grouped(bufferCount)) batch-norm statistics)",
            "forward: \(grouped(macs)) multiply-accumulates per image (\(gmacs) GMAC)",
        ]).joined(separator: "\n")
    }

    /// 12508778 → "12,508,778".
    private func grouped(_ value: Int) -> String {
        var digits = String(value)
        var groups: [String] = []
        while digits.count > 3 {
            groups.insert(String(digits.suffix(3)), at: 0)
            digits.removeLast(3)
        }
        return ([digits] + groups).joined(separator: ",")
    }
}
