/// The tables in force when a scan starts: Huffman (DC/lossless class 0, AC class 1),
/// quantization (zig-zag order) and the restart interval.
struct JPEGTables {
    var dcHuffman: [JPEGHuffmanTable?] = [nil, nil, nil, nil]
    var acHuffman: [JPEGHuffmanTable?] = [nil, nil, nil, nil]
    var quantization: [[Int32]?] = [nil, nil, nil, nil]
    /// MCUs between RSTn markers; 0 = no restarts.
    var restartInterval = 0

    mutating func readHuffmanTables(_ segment: ArraySlice<UInt8>) throws {
        var position = segment.startIndex
        while position < segment.endIndex {
            guard position + 17 <= segment.endIndex else {
                throw CodecError("a JPEG Huffman table segment (DHT) is truncated; the data are damaged")
            }
            let classAndIdentifier = segment[position]
            let tableClass = Int(classAndIdentifier >> 4), identifier = Int(classAndIdentifier & 0x0F)
            guard tableClass <= 1, identifier <= 3 else {
                throw CodecError("a JPEG DHT segment defines table class \(tableClass) id \(identifier); class 0–1, id 0–3 exist")
            }
            let counts = (1...16).map { Int(segment[position + $0]) }
            let total = counts.reduce(0, +)
            position += 17
            guard total <= 256, position + total <= segment.endIndex else {
                throw CodecError("a JPEG Huffman table (DHT) declares \(total) codes, more than its segment holds; the data are damaged")
            }
            let table = try JPEGHuffmanTable(counts: counts, values: Array(segment[position..<(position + total)]))
            position += total
            if tableClass == 0 { dcHuffman[identifier] = table } else { acHuffman[identifier] = table }
        }
    }

    mutating func readQuantizationTables(_ segment: ArraySlice<UInt8>) throws {
        var position = segment.startIndex
        while position < segment.endIndex {
            let precisionAndIdentifier = segment[position]
            let wide = precisionAndIdentifier >> 4, identifier = Int(precisionAndIdentifier & 0x0F)
            guard wide <= 1, identifier <= 3 else {
                throw CodecError("a JPEG DQT segment defines table precision \(wide) id \(identifier); precision 0–1, id 0–3 exist")
            }
            let size = wide == 1 ? 128 : 64
            position += 1
            guard position + size <= segment.endIndex else {
                throw CodecError("a JPEG quantization table segment (DQT) is truncated; the data are damaged")
            }
            var table = [Int32](repeating: 0, count: 64)
            for index in 0..<64 {
                table[index] = wide == 1
                    ? Int32(segment[position + 2 * index]) << 8 | Int32(segment[position + 2 * index + 1])
                    : Int32(segment[position + index])
            }
            position += size
            quantization[identifier] = table
        }
    }

    mutating func readRestartInterval(_ segment: ArraySlice<UInt8>) throws {
        guard segment.count >= 2 else {
            throw CodecError("a JPEG restart interval segment (DRI) is too short; the data are damaged")
        }
        restartInterval = Int(segment[segment.startIndex]) << 8 | Int(segment[segment.startIndex + 1])
    }
}
