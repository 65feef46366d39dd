/// Reads big-endian integers (JPEG 2000's byte order, for marker segments and JP2 boxes) from
/// the front of a slice; nil once the bytes run out, never an out-of-bounds read.
struct JPEG2000ByteReader {
    private(set) var bytes: ArraySlice<UInt8>

    init(_ bytes: ArraySlice<UInt8>) { self.bytes = bytes }

    mutating func uint8() -> UInt8? { read(1).map(UInt8.init) }
    mutating func uint16() -> UInt16? { read(2).map(UInt16.init) }
    mutating func uint32() -> UInt32? { read(4).map(UInt32.init) }
    mutating func uint64() -> UInt64? { read(8) }

    private mutating func read(_ count: Int) -> UInt64? {
        guard bytes.count >= count else { return nil }
        let value = bytes.prefix(count).reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        bytes = bytes.dropFirst(count)
        return value
    }
}
