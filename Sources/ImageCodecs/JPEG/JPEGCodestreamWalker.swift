/// Reads a JPEG codestream segment by segment for a decoder: first the frame header, then one
/// scan header at a time with the tables in force; the decoder decodes the scan's entropy-coded
/// data and hands back the position after it.
struct JPEGCodestreamWalker {
    var reader: JPEGMarkerReader
    var tables = JPEGTables()
    private(set) var frame: JPEGFrameHeader?

    init(_ data: [UInt8]) { reader = JPEGMarkerReader(data) }

    /// Reads up to and including the frame header, keeping any tables defined before it.
    mutating func readFrame() throws -> JPEGFrameHeader {
        try reader.readStartOfImage()
        while let marker = try reader.nextMarker() {
            if JPEGMarker.isStartOfFrame(marker) {
                var frame = try JPEGFrameHeader(marker: marker, segment: try reader.readSegment(marker))
                if frame.height == 0 {
                    frame = frame.withHeight(try linesFromDefineNumberOfLines())
                }
                self.frame = frame
                return frame
            }
            if marker == JPEGMarker.endOfImage || marker == JPEGMarker.startOfScan { break }
            try readTableOrSkip(marker)
        }
        throw CodecError("the JPEG codestream has no frame header (SOF marker) before its first scan; the data are damaged or not JPEG")
    }

    /// The next scan header, with `reader.position` at its entropy-coded data; nil at EOI or at
    /// the end of the data (some encoders omit EOI or leave junk after it).
    mutating func nextScan() throws -> JPEGScanHeader? {
        guard let frame else { preconditionFailure("readFrame() first") }
        while let marker = try reader.nextMarker() {
            switch marker {
            case JPEGMarker.endOfImage:
                return nil
            case JPEGMarker.startOfScan:
                return try JPEGScanHeader(segment: try reader.readSegment(marker), frame: frame)
            case let other where JPEGMarker.isStartOfFrame(other):
                throw CodecError("the JPEG codestream has a second frame (SOF\(Int(other) - 0xC0)); hierarchical JPEG is not supported")
            case JPEGMarker.defineHierarchicalProgression, JPEGMarker.expandReference:
                throw CodecError("the JPEG codestream is hierarchical (DHP/EXP marker); hierarchical JPEG is not supported")
            default:
                try readTableOrSkip(marker)
            }
        }
        return nil
    }

    /// A frame of height 0 gets its height from the DNL segment that must follow the first scan
    /// (T.81 B.2.5); found ahead of decoding so the limits are checked before any allocation.
    private func linesFromDefineNumberOfLines() throws -> Int {
        var lookahead = reader
        var inScan = false
        while let marker = try lookahead.nextMarker() {
            if marker == JPEGMarker.defineNumberOfLines {
                let segment = try lookahead.readSegment(marker)
                guard segment.count == 2 else { break }
                let lines = Int(segment[segment.startIndex]) << 8 | Int(segment[segment.startIndex + 1])
                guard lines > 0 else { break }
                return lines
            }
            if inScan && !JPEGMarker.isRestart(marker) { break }
            if marker == JPEGMarker.startOfScan { inScan = true }
            if !JPEGMarker.isStandalone(marker) { _ = try lookahead.readSegment(marker) }
        }
        throw CodecError("the JPEG frame declares a height of 0 but no DNL segment follows its first scan; the data are damaged")
    }

    private mutating func readTableOrSkip(_ marker: UInt8) throws {
        if JPEGMarker.isStandalone(marker) { return }  // stray RSTn / TEM outside a scan: ignore
        let segment = try reader.readSegment(marker)
        switch marker {
        case JPEGMarker.defineHuffmanTables: try tables.readHuffmanTables(segment)
        case JPEGMarker.defineQuantizationTables: try tables.readQuantizationTables(segment)
        case JPEGMarker.defineRestartInterval: try tables.readRestartInterval(segment)
        default: break  // APPn, COM, DNL (readFrame has read it ahead), DAC, reserved
        }
    }
}
