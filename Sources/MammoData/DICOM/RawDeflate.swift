import CZlib

/// Raw RFC 1951 deflate streams (no zlib or gzip wrapper), as the Deflated Explicit VR Little
/// Endian transfer syntax stores the data set after the meta group. Through zlib with window
/// bits −15, which selects the raw format.
enum RawDeflate {
    /// Inflates a whole raw deflate stream, refusing to produce more than `limit` bytes.
    ///
    /// Two passes: the first only counts (a few hundred bytes of deflate can claim gigabytes, so
    /// a bomb costs time up to the limit but no memory), the second fills a buffer of exactly
    /// that size (no doubling growth, so the peak is the data set itself).
    static func inflate(_ input: ArraySlice<UInt8>, limit: Int = ReadLimits.defaultMaxDecompressedBytes,
                        file: String) throws -> [UInt8] {
        var size = 0
        try stream(input, file: file) { chunk in
            size += chunk.count
            guard size <= limit else { throw ReadLimits(maxDecompressedBytes: limit).decompressedTooLarge(file: file) }
        }
        var output = [UInt8]()
        output.reserveCapacity(size)
        try stream(input, file: file) { chunk in output.append(contentsOf: chunk) }
        return output
    }

    /// Inflates `input`, handing each piece of output to `sink` as it is produced.
    private static func stream(_ input: ArraySlice<UInt8>, file: String,
                               _ sink: (UnsafeBufferPointer<UInt8>) throws -> Void) throws {
        var stream = z_stream()
        try check(inflateInit2_(&stream, -MAX_WBITS, zlibVersion(), Int32(MemoryLayout<z_stream>.size)), "inflateInit2", file)
        defer { inflateEnd(&stream) }
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        var input = Array(input)
        let finished: Bool = try input.withUnsafeMutableBufferPointer { source in
            try chunk.withUnsafeMutableBufferPointer { buffer in
                var consumed = 0
                stream.next_in = source.baseAddress
                stream.avail_in = 0
                while true {
                    // avail_in is 32-bit: hand zlib the input in pieces it can count.
                    if stream.avail_in == 0, consumed < source.count {
                        let piece = min(source.count - consumed, Int(UInt32.max))
                        stream.next_in = source.baseAddress! + consumed
                        stream.avail_in = UInt32(piece)
                        consumed += piece
                    }
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = UInt32(buffer.count)
                    let status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    try sink(UnsafeBufferPointer(rebasing: buffer[0..<(buffer.count - Int(stream.avail_out))]))
                    if status == Z_STREAM_END { return true }
                    // Z_BUF_ERROR with no input left: the stream stopped before its end (truncated file).
                    if status == Z_BUF_ERROR && stream.avail_in == 0 {
                        if consumed == source.count { return false }
                        continue
                    }
                    try check(status, "inflate", file)
                }
            }
        }
        guard finished else {
            throw DataError(file: file, "truncated deflated DICOM data set (the deflate stream ends early); copy or download the file again")
        }
    }

    /// Deflates `input` into one raw deflate stream (best compression).
    static func deflate(_ input: [UInt8], file: String) throws -> [UInt8] {
        var stream = z_stream()
        try check(deflateInit2_(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, -MAX_WBITS, 8, Z_DEFAULT_STRATEGY,
                                zlibVersion(), Int32(MemoryLayout<z_stream>.size)), "deflateInit2", file)
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(input.count))))
        var source = input
        let written = try source.withUnsafeMutableBufferPointer { source in
            try output.withUnsafeMutableBufferPointer { sink -> Int in
                stream.next_in = source.baseAddress
                stream.avail_in = UInt32(source.count)
                stream.next_out = sink.baseAddress
                stream.avail_out = UInt32(sink.count)
                let status = CZlib.deflate(&stream, Z_FINISH)
                // deflateBound sized the output for the whole stream, so one Z_FINISH call must end it.
                guard status == Z_STREAM_END else {
                    throw DataError(file: file, "deflate failed with zlib status \(status); report this as a bug")
                }
                return sink.count - Int(stream.avail_out)
            }
        }
        return Array(output.prefix(written))
    }

    /// The one place zlib status codes become errors: a thrown `DataError` naming the call.
    private static func check(_ status: Int32, _ call: String, _ file: String) throws {
        guard status != Z_OK else { return }
        let reason = status == Z_DATA_ERROR ? "the deflated data is corrupt" : "zlib error \(status)"
        throw DataError(file: file, "\(call) failed: \(reason); the file is damaged, copy or export it again")
    }
}
