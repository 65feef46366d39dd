import Foundation

/// Small PNG files whose header says whatever a test wants, with valid chunk CRCs so that
/// only the claim, not the checksum, is what a reader must catch.
enum CraftedPNG {
    /// A gray PNG whose IHDR claims `width`×`height`, followed by a tiny IDAT and IEND.
    static func gray(width: UInt32, height: UInt32, bitDepth: UInt8) -> [UInt8] {
        let ihdr = bigEndian(width) + bigEndian(height) + [bitDepth, 0, 0, 0, 0]
        // A raw deflate stream inside a zlib wrapper: one empty stored block.
        let idat: [UInt8] = [0x78, 0x01, 0x01, 0x00, 0x00, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x01]
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            + chunk("IHDR", ihdr) + chunk("IDAT", idat) + chunk("IEND", [])
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typed = Array(type.utf8) + data
        return bigEndian(UInt32(data.count)) + typed + bigEndian(crc32(typed))
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }
}

/// A PS3.10 file in the Deflated Explicit VR Little Endian transfer syntax whose deflated
/// data set is `body` (raw deflate bytes), e.g. a stream that inflates to gigabytes.
enum CraftedDICOM {
    static func deflated(body: [UInt8]) -> [UInt8] {
        let uid = Array("1.2.840.10008.1.2.1.99".utf8)  // 22 bytes, even as DICOM requires
        let transferSyntax: [UInt8] = [0x02, 0x00, 0x10, 0x00] + Array("UI".utf8) + [UInt8(uid.count), 0] + uid
        return [UInt8](repeating: 0, count: 128) + Array("DICM".utf8) + transferSyntax + body
    }
}
