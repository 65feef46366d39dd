/// One Huffman table of a DHT segment (ITU T.81 annex C), with a 9-bit lookahead table so most
/// codes decode with one lookup. A class owning raw memory, so the inner decoding loops read it
/// without bounds checks or reference-count traffic on arrays.
final class JPEGHuffmanTable {
    static let lookaheadBits = 9

    /// Indexed by the next 9 bits: code length << 8 | value, or 0 when the code is longer.
    let lookahead: UnsafeMutablePointer<UInt16>
    /// maximumCode[l]: the largest code of length l (1…16), −1 if none.
    let maximumCode: UnsafeMutablePointer<Int32>
    /// valueOffset[l]: add to a code of length l to index `values`.
    let valueOffset: UnsafeMutablePointer<Int32>
    let values: UnsafeMutablePointer<UInt8>
    let valueCount: Int

    /// `counts[l-1]` codes of each length l = 1…16, then their values in code order.
    init(counts: [Int], values symbols: [UInt8]) throws {
        precondition(counts.count == 16)
        lookahead = .allocate(capacity: 1 << Self.lookaheadBits)
        lookahead.initialize(repeating: 0, count: 1 << Self.lookaheadBits)
        maximumCode = .allocate(capacity: 18)
        maximumCode.initialize(repeating: -1, count: 18)
        valueOffset = .allocate(capacity: 18)
        valueOffset.initialize(repeating: 0, count: 18)
        valueCount = max(symbols.count, 1)
        values = .allocate(capacity: valueCount)
        values.initialize(repeating: 0, count: valueCount)
        for (index, symbol) in symbols.enumerated() { values[index] = symbol }

        var code = 0
        var index = 0
        for length in 1...16 {
            let count = counts[length - 1]
            if count > 0 {
                valueOffset[length] = Int32(index - code)
                for _ in 0..<count {
                    guard code < (1 << length) else {
                        throw CodecError("a JPEG Huffman table (DHT) has more codes than fit their lengths; the data are damaged")
                    }
                    if length <= Self.lookaheadBits {
                        let shift = Self.lookaheadBits - length
                        let entry = UInt16(length << 8) | UInt16(symbols[index])
                        for fill in 0..<(1 << shift) { lookahead[(code << shift) | fill] = entry }
                    }
                    code += 1
                    index += 1
                }
                maximumCode[length] = Int32(code - 1)
            }
            code <<= 1
        }
    }

    deinit {
        lookahead.deallocate()
        maximumCode.deallocate()
        valueOffset.deallocate()
        values.deallocate()
    }
}
