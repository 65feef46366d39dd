/// RLE Lossless pixel data (PS3.5 annex G): each frame is a 64-byte header (segment count and
/// up to 15 segment offsets, little endian) followed by segments; segment k holds byte plane k
/// of every pixel, most significant plane first, PackBits-coded.
enum DICOMRLE {
    static let headerSize = 64

    /// The byte planes of one frame: `planes` segments of `pixelCount` bytes each.
    static func decodeFrame(_ frame: [UInt8], pixelCount: Int, planes: Int, file: String) throws -> [[UInt8]] {
        func corrupt(_ what: String) -> DataError {
            DataError(file: file, "corrupt RLE pixel data: \(what); the file is damaged, re-export it")
        }
        guard frame.count >= headerSize else { throw corrupt("the \(frame.count)-byte frame is shorter than its 64-byte header") }
        func headerWord(_ index: Int) -> Int {
            (0..<4).reduce(0) { $0 | Int(frame[index * 4 + $1]) << (8 * $1) }
        }
        let segmentCount = headerWord(0)
        guard segmentCount == planes else {
            throw corrupt("\(segmentCount) segments, expected \(planes) (one per byte of a \(planes * 8)-bit sample)")
        }
        // A 2-byte PackBits run yields at most 128 bytes, so a frame this small cannot hold the
        // image; checked before decoding so a corrupt Rows/Columns cannot demand gigabytes.
        guard pixelCount <= frame.count * 64 else {
            throw corrupt("the \(frame.count)-byte frame is too small for \(pixelCount) pixels")
        }
        let offsets = (1...segmentCount).map(headerWord) + [frame.count]
        return try (0..<segmentCount).map { k in
            let (start, end) = (offsets[k], offsets[k + 1])
            guard headerSize <= start, start <= end, end <= frame.count else {
                throw corrupt("segment \(k + 1) spans bytes \(start)..<\(end), outside the \(frame.count)-byte frame")
            }
            guard let plane = unpackBits(frame[start..<end], count: pixelCount) else {
                throw corrupt("segment \(k + 1) decodes to fewer than the \(pixelCount) bytes of one image")
            }
            return plane
        }
    }

    /// PackBits: header byte n in 0...127 copies the next n+1 bytes, in -127...-1 repeats the next
    /// byte 1−n times, −128 is a no-op. Returns the first `count` bytes, or nil if the input runs out first.
    static func unpackBits(_ input: ArraySlice<UInt8>, count: Int) -> [UInt8]? {
        var output = [UInt8]()
        output.reserveCapacity(count)
        var index = input.startIndex
        while output.count < count && index < input.endIndex {
            let header = Int(Int8(bitPattern: input[index]))
            index += 1
            if header >= 0 {
                let end = index + header + 1
                guard end <= input.endIndex else { return nil }
                output.append(contentsOf: input[index..<end])
                index = end
            } else if header != -128 {
                guard index < input.endIndex else { return nil }
                output.append(contentsOf: repeatElement(input[index], count: 1 - header))
                index += 1
            }
        }
        return output.count >= count ? Array(output.prefix(count)) : nil
    }

    /// One frame from its byte planes (most significant first), each plane coded row by row as
    /// the standard requires (runs never cross a row boundary), segments padded to even length.
    static func encodeFrame(planes: [[UInt8]], rowLength: Int) -> [UInt8] {
        let segments = planes.map { plane -> [UInt8] in
            var segment = stride(from: 0, to: plane.count, by: rowLength).flatMap {
                packBits(plane[$0..<min($0 + rowLength, plane.count)])
            }
            if segment.count % 2 == 1 { segment.append(0x80) }  // -128: a no-op header as padding
            return segment
        }
        var header = [UInt8](repeating: 0, count: headerSize)
        func setWord(_ index: Int, _ value: Int) {
            for byte in 0..<4 { header[index * 4 + byte] = UInt8(truncatingIfNeeded: value >> (8 * byte)) }
        }
        setWord(0, segments.count)
        var offset = headerSize
        for (k, segment) in segments.enumerated() {
            setWord(k + 1, offset)
            offset += segment.count
        }
        return header + segments.flatMap { $0 }
    }

    /// PackBits-codes one row: runs of 3+ equal bytes as repeats (up to 128), the rest as literals (up to 128).
    static func packBits(_ row: ArraySlice<UInt8>) -> [UInt8] {
        var output = [UInt8]()
        var literal = [UInt8]()
        func flushLiteral() {
            guard !literal.isEmpty else { return }
            output.append(UInt8(literal.count - 1))
            output.append(contentsOf: literal)
            literal.removeAll(keepingCapacity: true)
        }
        var index = row.startIndex
        while index < row.endIndex {
            var run = 1
            while index + run < row.endIndex && run < 128 && row[index + run] == row[index] { run += 1 }
            if run >= 3 {
                flushLiteral()
                output.append(UInt8(bitPattern: Int8(1 - run)))
                output.append(row[index])
                index += run
            } else {
                literal.append(row[index])
                index += 1
                if literal.count == 128 { flushLiteral() }
            }
        }
        flushLiteral()
        return output
    }
}
