/// A plain-text table with columns padded to their widest cell, for terminals and logs.
struct TextTable {
    var header: [String]
    var rows: [[String]]
    /// Column indices whose cells are right-aligned (numbers).
    var rightAligned: Set<Int> = []

    func render() -> String {
        let columns = header.count
        var widths = header.map(\.count)
        for row in rows {
            for (c, cell) in row.prefix(columns).enumerated() { widths[c] = max(widths[c], cell.count) }
        }
        func line(_ cells: [String]) -> String {
            (0..<columns).map { c in
                let cell = c < cells.count ? cells[c] : ""
                let padding = String(repeating: " ", count: widths[c] - cell.count)
                return rightAligned.contains(c) ? padding + cell : cell + padding
            }.joined(separator: "  ")
        }
        let rule = widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ")
        return ([line(header), rule] + rows.map(line)).joined(separator: "\n") + "\n"
    }
}
