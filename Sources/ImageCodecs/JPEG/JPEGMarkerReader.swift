/// Walks the marker segments of a JPEG codestream. Every length is checked against the data, so
/// damaged or hostile bytes end in a thrown `CodecError`, never an out-of-bounds read.
struct JPEGMarkerReader {
    let data: [UInt8]
    /// Index of the next unread byte.
    var position: Int = 0

    init(_ data: [UInt8]) { self.data = data }

    mutating func readStartOfImage() throws {
        guard data.count >= 2, data[0] == 0xFF, data[1] == JPEGMarker.startOfImage else {
            throw CodecError("the data do not start with a JPEG SOI marker (FF D8); they are not a JPEG codestream")
        }
        position = 2
    }

    /// The next marker code, skipping fill bytes (0xFF) and, as libjpeg does, stray bytes
    /// before it; nil at the end of the data.
    mutating func nextMarker() throws -> UInt8? {
        let count = data.count
        while position + 1 < count {
            if data[position] == 0xFF {
                let code = data[position + 1]
                if code != 0xFF && code != 0x00 {
                    position += 2
                    return code
                }
                position += code == 0xFF ? 1 : 2
            } else {
                position += 1
            }
        }
        position = count
        return nil
    }

    /// The body of a segment with a length field (the bytes after the two length bytes).
    mutating func readSegment(_ marker: UInt8) throws -> ArraySlice<UInt8> {
        guard position + 2 <= data.count else {
            throw CodecError("the JPEG codestream ends inside the \(Self.name(marker)) segment; the file is truncated")
        }
        let length = Int(data[position]) << 8 | Int(data[position + 1])
        guard length >= 2 else {
            throw CodecError("the JPEG \(Self.name(marker)) segment declares a length of \(length); the data are damaged")
        }
        guard position + length <= data.count else {
            throw CodecError("the JPEG \(Self.name(marker)) segment runs past the end of the data; the file is truncated")
        }
        let body = data[(position + 2)..<(position + length)]
        position += length
        return body
    }

    static func name(_ marker: UInt8) -> String {
        switch marker {
        case JPEGMarker.defineHuffmanTables: return "DHT"
        case JPEGMarker.defineQuantizationTables: return "DQT"
        case JPEGMarker.defineRestartInterval: return "DRI"
        case JPEGMarker.startOfScan: return "SOS"
        case JPEGMarker.defineNumberOfLines: return "DNL"
        case 0xE0...0xEF: return "APP\(Int(marker) - 0xE0)"
        case 0xFE: return "COM"
        default:
            if JPEGMarker.isStartOfFrame(marker) { return "SOF\(Int(marker) - 0xC0)" }
            return "FF\(String(marker, radix: 16, uppercase: true))"
        }
    }
}
