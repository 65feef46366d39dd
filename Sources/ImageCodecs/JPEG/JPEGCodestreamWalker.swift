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
                let frame = try JPEGFrameHeader(marker: marker, segment: try reader.readSegment(marker))
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

    private mutating func readTableOrSkip(_ marker: UInt8) throws {
        if JPEGMarker.isStandalone(marker) { return }  // stray RSTn / TEM outside a scan: ignore
        let segment = try reader.readSegment(marker)
        switch marker {
        case JPEGMarker.defineHuffmanTables: try tables.readHuffmanTables(segment)
        case JPEGMarker.defineQuantizationTables: try tables.readQuantizationTables(segment)
        case JPEGMarker.defineRestartInterval: try tables.readRestartInterval(segment)
        default: break  // APPn, COM, DNL (height 0 is refused up front), DAC, reserved
        }
    }
}
