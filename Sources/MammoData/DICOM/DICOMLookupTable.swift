/// A Modality or VOI lookup table (PS3.3 C.11.1.1 and C.11.2.1.1): LUT Descriptor
/// (entries, first mapped input, bits per entry) and LUT Data. Inputs below the first mapped
/// value take the first entry, inputs past the last take the last.
public struct DICOMLookupTable: Sendable, Equatable {
    public let firstMapped: Int
    public let bitsPerEntry: Int
    public let entries: [Int32]
    public let explanation: String?

    public var range: ClosedRange<Int32> { (entries.min() ?? 0)...(entries.max() ?? 0) }

    @inline(__always) public func map(_ input: Int) -> Int32 {
        let index = input &- firstMapped
        return entries[index < 0 ? 0 : (index >= entries.count ? entries.count - 1 : index)]
    }

    /// Reads one item of a Modality or VOI LUT Sequence. `signedInput`: the descriptor's first
    /// mapped value is SS for signed pixels (a Modality LUT's input is the stored value).
    init(item: DICOMDataSet, signedInput: Bool, what: String) throws {
        let file = item.file
        guard let descriptor = item[.lutDescriptor], descriptor.value.count >= 6 else {
            throw DataError(file: file, "\(what) has no LUT Descriptor (0028,3002) of three values; the header is damaged, convert without it")
        }
        let words = item.words(descriptor.value, count: 3)
        let count = words[0] == 0 ? 65536 : Int(words[0])
        firstMapped = signedInput ? Int(Int16(bitPattern: words[1])) : Int(words[1])
        // Some writers put 16 in the third value with 8-bit data; the data length decides.
        let declaredBits = Int(words[2])
        guard (8...16).contains(declaredBits) else {
            throw DataError(file: file, "\(what) declares \(declaredBits) bits per entry, expected 8 to 16; the header is damaged")
        }
        guard let data = item[.lutData] else {
            throw DataError(file: file, "\(what) has no LUT Data (0028,3006); the header is damaged, convert without it")
        }
        let available = data.value.count
        if available >= 2 * count {
            entries = item.words(data.value, count: count).map { Int32($0) }
            bitsPerEntry = declaredBits
        } else if available >= count && declaredBits == 8 {
            // 8-bit entries packed two to a word (OW), in byte order.
            entries = item.bytes[data.value.lowerBound..<(data.value.lowerBound + count)].map { Int32($0) }
            bitsPerEntry = 8
        } else {
            throw DataError(file: file, "\(what) LUT Data holds \(available) bytes, too few for \(count) entries; the header is damaged")
        }
        explanation = item.string(.lutExplanation)
    }

    init(firstMapped: Int, bitsPerEntry: Int, entries: [Int32], explanation: String? = nil) {
        self.firstMapped = firstMapped; self.bitsPerEntry = bitsPerEntry; self.entries = entries; self.explanation = explanation
    }
}

extension DICOMDataSet {
    /// `count` 16-bit words from a value range in the data set's byte order.
    func words(_ range: Range<Int>, count: Int) -> [UInt16] {
        (0..<count).map { i in
            let (a, b) = (UInt16(bytes[range.lowerBound + 2 * i]), UInt16(bytes[range.lowerBound + 2 * i + 1]))
            return bigEndian ? a << 8 | b : b << 8 | a
        }
    }
}
