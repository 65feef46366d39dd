/// How stored values sit in the pixel data (PS3.5 section 8 and annex D): each sample takes
/// `bitsAllocated` bits (8 or 16), of which bits `highBit − bitsStored + 1 … highBit` hold the
/// value, two's complement when `signed`; the remaining bits may hold anything (overlays, junk).
struct DICOMPixelLayout {
    let rows: Int
    let columns: Int
    let bitsAllocated: Int
    let bitsStored: Int
    let highBit: Int
    let signed: Bool

    var pixelCount: Int { rows * columns }
    var bytesPerSample: Int { bitsAllocated / 8 }

    /// One raw sample word → its stored value: shifted down, masked to BitsStored, sign-extended.
    @inline(__always) func storedValue(_ word: UInt16) -> Int32 {
        let value = Int32((Int(word) >> (highBit + 1 - bitsStored)) & ((1 << bitsStored) - 1))
        return signed && value >= (1 << (bitsStored - 1)) ? value - (1 << bitsStored) : value
    }

    /// The stored values of frame `index` (0-based) of `frames`, from native or RLE-encapsulated pixel data.
    func decode(_ element: DICOMElement, in dataSet: DICOMDataSet, rle: Bool, frame index: Int = 0, of frames: Int = 1) throws -> [Int32] {
        let file = dataSet.file
        if element.fragments != nil {
            guard rle else {
                throw DataError(file: file, "encapsulated (compressed) PixelData in an uncompressed transfer syntax; the file is damaged")
            }
            let frame = try DICOMEncapsulatedFrames.codestream(frame: index, of: frames, pixelData: element, in: dataSet)
            let planes = try DICOMRLE.decodeFrame(frame, pixelCount: pixelCount, planes: bytesPerSample, file: file)
            return (0..<pixelCount).map { i in
                storedValue(planes.count == 2 ? UInt16(planes[0][i]) << 8 | UInt16(planes[1][i]) : UInt16(planes[0][i]))
            }
        }
        guard !rle else {
            throw DataError(file: file, "RLE Lossless file with native (not encapsulated) PixelData; the file is damaged")
        }
        let frameBytes = pixelCount * bytesPerSample
        let (needed, overflow) = frameBytes.multipliedReportingOverflow(by: index + 1)
        guard !overflow, element.value.count >= needed else {
            throw DataError(file: file, "PixelData holds \(element.value.count) bytes but \(frames > 1 ? "frame \(index + 1) of " : "")\(columns)x\(rows) pixels of \(bitsAllocated) bits need \(needed); the file is truncated or damaged")
        }
        let bytes = dataSet.bytes, start = element.value.lowerBound, base = start + frameBytes * index
        switch (bitsAllocated, dataSet.bigEndian) {
        case (16, false):
            return (0..<pixelCount).map { i in storedValue(UInt16(bytes[base + 2 * i]) | UInt16(bytes[base + 2 * i + 1]) << 8) }
        case (16, true):
            return (0..<pixelCount).map { i in storedValue(UInt16(bytes[base + 2 * i]) << 8 | UInt16(bytes[base + 2 * i + 1])) }
        default:
            // 8-bit samples in OW under big endian were byte-swapped as 16-bit words (PS3.5 annex D).
            let swapped = dataSet.bigEndian && element.vr == "OW"
            guard !swapped || element.value.count >= needed + needed % 2 else {
                throw DataError(file: file, "PixelData is shorter than its 16-bit words; the file is truncated or damaged")
            }
            let first = frameBytes * index
            return (0..<pixelCount).map { i in storedValue(UInt16(bytes[start + (swapped ? (first + i) ^ 1 : first + i)])) }
        }
    }
}
