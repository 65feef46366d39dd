/// Finds one frame's codestream in encapsulated pixel data (PS3.5 A.4): by the Extended Offset
/// Table, else the Basic Offset Table, else one fragment per frame, else fragments up to an end
/// marker (0xFFD9 ends JPEG, JPEG-LS and JPEG 2000 codestreams alike), as pydicom does.
enum DICOMEncapsulatedFrames {
    /// The bytes of frame `index` (0-based) of `numberOfFrames`.
    static func codestream(frame index: Int, of numberOfFrames: Int, pixelData element: DICOMElement,
                           in dataSet: DICOMDataSet) throws -> [UInt8] {
        let file = dataSet.file, bytes = dataSet.bytes
        let fragments = element.fragments ?? []
        guard !fragments.isEmpty else {
            throw DataError(file: file, "the encapsulated PixelData holds no fragments; the file has no image data")
        }
        if numberOfFrames == 1 {
            // A single frame may span any number of fragments.
            return fragments.count == 1 ? Array(bytes[fragments[0]]) : fragments.flatMap { bytes[$0] }
        }
        // Offsets count from the first byte of the first fragment's item tag (8 bytes before its value).
        let firstItem = fragments[0].lowerBound - 8
        if let table = dataSet[.extendedOffsetTable], let lengths = dataSet[.extendedOffsetTableLengths],
           table.value.count >= 8 * numberOfFrames, lengths.value.count >= 8 * numberOfFrames {
            let offset = dataSet.uint64(at: table.value.lowerBound + 8 * index)
            let length = dataSet.uint64(at: lengths.value.lowerBound + 8 * index)
            return try fragmentsBetween(offset, offset &+ length, fragments: fragments, firstItem: firstItem, bytes: bytes,
                                        exactLength: Int(clamping: length), file: file, index: index)
        }
        if let table = element.offsetTable, table.count >= 4 * numberOfFrames {
            let start = dataSet.uint32(at: table.lowerBound + 4 * index)
            let end = index + 1 < numberOfFrames ? dataSet.uint32(at: table.lowerBound + 4 * (index + 1)) : UInt64.max
            return try fragmentsBetween(start, end, fragments: fragments, firstItem: firstItem, bytes: bytes,
                                        exactLength: nil, file: file, index: index)
        }
        if fragments.count == numberOfFrames { return Array(bytes[fragments[index]]) }
        // No table and more fragments than frames: a frame ends with the fragment that ends in 0xFFD9.
        var frames: [[Range<Int>]] = [[]]
        for fragment in fragments {
            frames[frames.count - 1].append(fragment)
            if Self.endsWithEndMarker(fragment, bytes) { frames.append([]) }
        }
        if frames.last?.isEmpty == true { frames.removeLast() }
        guard frames.count == numberOfFrames else {
            throw DataError(file: file, "cannot tell the \(numberOfFrames) frames apart: \(fragments.count) fragments, no offset table, and \(frames.count) end-of-image markers; the file is damaged, re-encode it (e.g. gdcmconv --raw)")
        }
        return frames[index].flatMap { bytes[$0] }
    }

    private static func fragmentsBetween(_ start: UInt64, _ end: UInt64, fragments: [Range<Int>], firstItem: Int,
                                         bytes: [UInt8], exactLength: Int?, file: String, index: Int) throws -> [UInt8] {
        var out: [UInt8] = []
        var found = false
        for fragment in fragments {
            let position = UInt64(fragment.lowerBound - 8 - firstItem)
            if position == start { found = true }
            if position >= start && position < end { out.append(contentsOf: bytes[fragment]) }
        }
        guard found, !out.isEmpty else {
            throw DataError(file: file, "the offset table points frame \(index + 1) at byte \(start), where no fragment starts; the file is damaged, re-encode it (e.g. gdcmconv --raw)")
        }
        // The Extended Offset Table's lengths exclude the padding byte of an odd-length frame.
        if let exactLength, exactLength < out.count { out.removeLast(out.count - exactLength) }
        return out
    }

    private static func endsWithEndMarker(_ fragment: Range<Int>, _ bytes: [UInt8]) -> Bool {
        // Fragments have even length: a one-byte pad (0x00) may follow the marker.
        var end = fragment.upperBound
        if end - fragment.lowerBound > 2 && bytes[end - 1] == 0 { end -= 1 }
        return end - fragment.lowerBound >= 2 && bytes[end - 2] == 0xFF && bytes[end - 1] == 0xD9
    }
}

extension DICOMDataSet {
    func uint32(at offset: Int) -> UInt64 {
        let b = (0..<4).map { UInt64(bytes[offset + $0]) }
        return bigEndian ? b[0] << 24 | b[1] << 16 | b[2] << 8 | b[3] : b[3] << 24 | b[2] << 16 | b[1] << 8 | b[0]
    }

    func uint64(at offset: Int) -> UInt64 {
        (0..<8).reduce(UInt64(0)) { value, i in value | UInt64(bytes[offset + i]) << (8 * UInt64(i)) }
    }
}
