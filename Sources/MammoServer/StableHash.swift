/// FNV-1a, 64 bits, as 16 hex digits: stable names for cache entries and image ids (not for security:
/// every id is looked up in the catalogue, never turned into a path).
struct StableHash {
    private var state: UInt64 = 0xcbf2_9ce4_8422_2325

    mutating func update<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
        var hash = state
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        state = hash
    }

    var hex: String {
        let digits = String(state, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }

    static func hex(_ text: String) -> String {
        var hash = StableHash()
        hash.update(text.utf8)
        return hash.hex
    }
}
