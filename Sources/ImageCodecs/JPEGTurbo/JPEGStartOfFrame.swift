/// The frame header (SOFn marker) of a JPEG codestream, found by walking its marker segments,
/// so that streams libjpeg cannot decode (lossless, 12-bit, arithmetic) are refused in words
/// that say so instead of libjpeg's "Unsupported marker type".
struct JPEGStartOfFrame {
    /// The SOF marker's second byte: 0xC0 baseline, 0xC1 extended, 0xC2 progressive, 0xC3 lossless …
    let marker: UInt8
    let precision: Int

    var isLossless: Bool { [0xC3, 0xC7, 0xCB, 0xCF].contains(marker) }
    var isArithmeticCoded: Bool { marker >= 0xC9 }

    var processName: String {
        switch marker {
        case 0xC0: return "baseline"
        case 0xC1: return "extended sequential"
        case 0xC2: return "progressive"
        case 0xC3: return "lossless"
        default: return "SOF 0x\(String(marker, radix: 16, uppercase: true))"
        }
    }

    /// Nil when the data do not reach a frame header (libjpeg then explains what is wrong).
    init?(scanning data: [UInt8]) {
        guard data.count >= 4, data[0] == 0xFF, data[1] == 0xD8 else { return nil }
        var position = 2
        while position + 3 < data.count {
            guard data[position] == 0xFF else { return nil }
            let code = data[position + 1]
            if code == 0xFF { position += 1; continue }  // fill byte before a marker
            let isFrame = (0xC0...0xCF).contains(code) && code != 0xC4 && code != 0xC8 && code != 0xCC
            if isFrame {
                guard position + 4 < data.count else { return nil }
                marker = code
                precision = Int(data[position + 4])
                return
            }
            if code == 0xDA || code == 0xD9 { return nil }  // scan or end before any frame header
            let length = Int(data[position + 2]) << 8 | Int(data[position + 3])
            guard length >= 2 else { return nil }
            position += 2 + length
        }
        return nil
    }
}
