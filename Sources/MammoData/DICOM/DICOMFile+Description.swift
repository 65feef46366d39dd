extension DICOMFile {
    /// The pixel semantics as `mammoseg info` lists them, one line each (empty lines left out).
    var semanticsDescription: [String] {
        let number = ImageSummary.number
        var lines: [String] = []
        if numberOfFrames > 1 { lines.append("frames: \(numberOfFrames) (showing frame \(frameNumber))") }
        switch modalityTransform {
        case let .rescale(slope, intercept) where slope != 1 || intercept != 0 || rescaleType != nil:
            lines.append("modality LUT: rescale slope \(number(slope)), intercept \(number(intercept))" + (rescaleType.map { ", type \($0)" } ?? ""))
        case let .lookupTable(table):
            lines.append("modality LUT: table of \(table.entries.count) entries from stored value \(table.firstMapped), \(table.bitsPerEntry) bits, output \(table.range.lowerBound)…\(table.range.upperBound)" + (table.explanation.map { " (\($0))" } ?? ""))
        default:
            break
        }
        for (index, window) in windows.enumerated() {
            lines.append("window \(index + 1): center \(number(window.center)), width \(number(window.width)), \(window.function.rawValue)" + (window.explanation.map { " (\($0))" } ?? ""))
        }
        for (index, table) in voiLookupTables.enumerated() {
            lines.append("VOI LUT \(index + 1): \(table.entries.count) entries from \(table.firstMapped), \(table.bitsPerEntry) bits" + (table.explanation.map { " (\($0))" } ?? ""))
        }
        if let paddingRange {
            lines.append("padding: stored " + (paddingRange.count == 1 ? "value \(paddingRange.lowerBound)" : "values \(paddingRange.lowerBound)…\(paddingRange.upperBound)") + " (background)")
        }
        if let presentationLUTShape { lines.append("presentation LUT shape: \(presentationLUTShape)") }
        if let pixelSpacing { lines.append("pixel spacing: \(pixelSpacing.map(number).joined(separator: " x ")) mm") }
        if let imagerPixelSpacing { lines.append("imager pixel spacing: \(imagerPixelSpacing.map(number).joined(separator: " x ")) mm") }
        return lines
    }
}
