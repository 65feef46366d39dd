/// Reads the entropy-coded data of a scan MSB first through a 64-bit buffer, removing stuffed
/// zero bytes (FF 00). It never reads past a marker or the end of the data: there it feeds zero
/// bits and counts them, so a decoder can tell, at the end of a scan or restart interval,
/// whether it consumed bits the stream does not have (truncated or damaged data).
struct JPEGBitReader {
    let bytes: UnsafePointer<UInt8>
    let end: Int
    private(set) var position: Int
    /// Unread bits, left-aligned.
    private var buffer: UInt64 = 0
    private(set) var bitCount = 0
    /// Zero bits fed in place of data, all at the tail of `buffer`.
    private var paddingBits = 0

    init(bytes: UnsafePointer<UInt8>, count: Int, position: Int) {
        self.bytes = bytes
        end = count
        self.position = position
    }

    /// Tops the buffer up to at least 57 bits.
    @inline(__always)
    mutating func refill() {
        if bitCount > 56 { return }
        // Fast path: 8 bytes without 0xFF can go in at once.
        if position + 8 <= end {
            let word = UInt64(bigEndian: UnsafeRawPointer(bytes + position).loadUnaligned(as: UInt64.self))
            let inverted = ~word
            let hasFF = (inverted &- 0x0101_0101_0101_0101) & ~inverted & 0x8080_8080_8080_8080
            if hasFF == 0 {
                let taken = (64 - bitCount) >> 3  // 1…8 whole bytes
                buffer |= (word &>> UInt64(64 - taken * 8)) &<< UInt64(64 - bitCount - taken * 8)
                position += taken
                bitCount += taken * 8
                return
            }
        }
        refillSlowly()
    }

    private mutating func refillSlowly() {
        while bitCount <= 56 {
            var byte: UInt64 = 0
            if position < end {
                let value = bytes[position]
                if value != 0xFF {
                    byte = UInt64(value)
                    position += 1
                } else if position + 1 < end && bytes[position + 1] == 0x00 {
                    byte = 0xFF
                    position += 2
                } else if position + 1 < end && bytes[position + 1] == 0xFF {
                    position += 1  // fill byte before a marker
                    continue
                } else {
                    paddingBits += 8  // a marker (or FF at the very end): stop here
                }
            } else {
                paddingBits += 8
            }
            buffer |= byte &<< UInt64(56 - bitCount)
            bitCount += 8
        }
    }

    /// Decodes one Huffman code; needs at least 16 bits in the buffer (call `refill` first).
    @inline(__always)
    mutating func decode(_ table: JPEGHuffmanTable) throws -> Int {
        let entry = table.lookahead[Int(truncatingIfNeeded: buffer &>> 55)]
        if entry != 0 {
            let length = Int(entry >> 8)
            buffer &<<= UInt64(length)
            bitCount -= length
            return Int(entry & 0xFF)
        }
        return try decodeLongCode(table)
    }

    private mutating func decodeLongCode(_ table: JPEGHuffmanTable) throws -> Int {
        for length in (JPEGHuffmanTable.lookaheadBits + 1)...16 {
            let code = Int32(truncatingIfNeeded: buffer &>> UInt64(64 - length))
            if code <= table.maximumCode[length] {
                let index = Int(code + table.valueOffset[length])
                guard index >= 0, index < table.valueCount else { break }
                buffer &<<= UInt64(length)
                bitCount -= length
                return Int(table.values[index])
            }
        }
        throw CodecError("the JPEG entropy-coded data hold a code that is not in the Huffman table; the data are damaged")
    }

    /// The next `count` (1…16) bits as an unsigned number; needs them in the buffer.
    @inline(__always)
    mutating func receive(_ count: Int) -> Int {
        let value = Int(truncatingIfNeeded: buffer &>> UInt64(64 - count))
        buffer &<<= UInt64(count)
        bitCount -= count
        return value
    }

    /// `count` (1…16) bits as a signed difference (ITU T.81 F.2.2.1 EXTEND).
    @inline(__always)
    mutating func receiveExtended(_ count: Int) -> Int {
        let value = receive(count)
        return value < (1 << (count - 1)) ? value - (1 << count) + 1 : value
    }

    /// Throws if the decoder used zero bits fed past a marker or the end of the data.
    func checkNotOverrun() throws {
        if paddingBits > bitCount {
            let cause = position >= end ? "the data end" : "a marker interrupts them"
            throw CodecError("the JPEG entropy-coded data stop early (\(cause)); the file is truncated or damaged")
        }
    }

    /// At the end of a restart interval: checks, drops the leftover bits, and reads the RSTn marker.
    mutating func restart() throws {
        try checkNotOverrun()
        buffer = 0
        bitCount = 0
        paddingBits = 0
        while position + 1 < end {
            if bytes[position] == 0xFF {
                let code = bytes[position + 1]
                if code == 0xFF { position += 1; continue }
                if code != 0x00 {
                    guard JPEGMarker.isRestart(code) else { break }
                    position += 2
                    return
                }
            }
            position += 1
        }
        throw CodecError("the JPEG entropy-coded data lack an expected restart marker (RSTn); the file is truncated or damaged")
    }
}
