/// A bounds-checked cursor over the bytes of a DICOM data set. Every read checks what is
/// left and throws a `DataError` naming the file and byte offset, so a truncated or
/// corrupt file can never make the parser trap.
struct DICOMByteReader {
    let bytes: [UInt8]
    let file: String
    var offset: Int
    var bigEndian: Bool
    /// Reads stop here: the end of the bytes, or of an enclosing item or sequence of defined length.
    var end: Int

    init(bytes: [UInt8], file: String, offset: Int = 0, bigEndian: Bool = false) {
        self.bytes = bytes; self.file = file; self.offset = offset; self.bigEndian = bigEndian; self.end = bytes.count
    }

    var remaining: Int { end - offset }
    var isAtEnd: Bool { offset >= end }

    func truncated(_ what: String, needing count: Int) -> DataError {
        DataError(file: file, "truncated DICOM file: \(what) at byte \(offset) needs \(count) bytes but only \(max(remaining, 0)) are left; the file is incomplete, copy or download it again")
    }

    /// Claims `count` bytes and returns their index range.
    mutating func take(_ count: Int, for what: String) throws -> Range<Int> {
        guard count >= 0, count <= remaining else { throw truncated(what, needing: count) }
        defer { offset += count }
        return offset..<(offset + count)
    }

    mutating func uint16(_ what: String) throws -> UInt16 {
        let range = try take(2, for: what)
        let (a, b) = (UInt16(bytes[range.lowerBound]), UInt16(bytes[range.lowerBound + 1]))
        return bigEndian ? (a << 8 | b) : (b << 8 | a)
    }

    mutating func uint32(_ what: String) throws -> UInt32 {
        let high = UInt32(try uint16(what)), low = UInt32(try uint16(what))
        return bigEndian ? (high << 16 | low) : (low << 16 | high)
    }

    mutating func tag() throws -> DICOMTag {
        let group = try uint16("tag group"), element = try uint16("tag element")
        return DICOMTag(group, element)
    }

    /// The tag at the cursor without consuming it, or nil at the end of the data.
    func peekTag() -> DICOMTag? {
        var copy = self
        return try? copy.tag()
    }
}
