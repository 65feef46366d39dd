import CPNG
import Foundation

/// PNG files through libpng's simplified API (`png_image`), with stored values kept exactly.
///
/// The simplified API treats 8-bit data as sRGB and 16-bit data as linear, and converts values
/// when a file's gAMA/sRGB/iCCP/cHRM chunks disagree with that or when the requested depth differs
/// from the file's. Mammogram intensities must never pass through a gamma curve, so the reader
/// drops those colour-space chunks before decoding and always reads in the file's own depth
/// (16-bit → `PNG_FORMAT_LINEAR_Y`, otherwise `PNG_FORMAT_GRAY`); the writer hands libpng data
/// in the format it stores unchanged. Colour files are converted to gray by libpng.
public enum PNG {
    /// The 8-byte PNG signature.
    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// Reads a PNG as an 8- or 16-bit grayscale image (the file's own depth; 1/2/4-bit gray and
    /// palette files come back as 8-bit).
    public static func readGray(_ path: String, limits: ReadLimits = .current) throws -> GrayImage {
        try decodeGray(try readBytes(path), file: path, limits: limits)
    }

    /// Deflate expands at most 1032:1 (258-byte matches coded in 2 bits), so a PNG's filtered
    /// rows can be at most this many times the file's size; a header claiming more is a lie.
    static let maximumInflationRatio = 1032

    /// Decodes PNG bytes (`file` names them in errors). The header's size is checked against
    /// `limits` and against what the file's bytes can hold before any pixel memory is allocated.
    public static func decodeGray(_ bytes: [UInt8], file: String, limits: ReadLimits = .current) throws -> GrayImage {
        guard bytes.starts(with: signature) else {
            throw DataError(file: file, "not a PNG file (no PNG signature); check the file type")
        }
        // begin_read_from_memory keeps a pointer to the bytes, so the whole decode runs inside one closure.
        return try withoutColorSpaceChunks(bytes).withUnsafeBytes { memory in
            var image = png_image()
            image.version = UInt32(PNG_IMAGE_VERSION)
            guard png_image_begin_read_from_memory(&image, memory.baseAddress, memory.count) != 0 else {
                throw DataError(file: file, "not a readable PNG (\(message(image))); the file is damaged")
            }
            defer { png_image_free(&image) }
            let sixteenBit = (image.format & UInt32(PNG_FORMAT_FLAG_LINEAR)) != 0
            image.format = sixteenBit ? UInt32(PNG_FORMAT_LINEAR_Y) : UInt32(PNG_FORMAT_GRAY)
            let width = Int(image.width), height = Int(image.height)
            try limits.checkPixels(width: width, height: height, file: file)
            let minimumRowBytes = (width + 7) / 8 + 1  // a 1-bit row plus its filter byte
            guard minimumRowBytes * height <= bytes.count * maximumInflationRatio else {
                throw DataError(file: file, "the header claims \(width)x\(height) pixels, more than its \(bytes.count) bytes "
                                            + "can hold; the file is damaged or truncated")
            }
            func finish(_ buffer: UnsafeMutableRawBufferPointer) throws {
                guard png_image_finish_read(&image, nil, buffer.baseAddress, 0, nil) != 0 else {
                    throw DataError(file: file, "corrupt PNG (\(message(image))); the file is damaged")
                }
            }
            if sixteenBit {
                var pixels = [UInt16](repeating: 0, count: width * height)
                try pixels.withUnsafeMutableBytes(finish)
                return GrayImage(width: width, height: height, bitDepth: 16, pixels: pixels)
            }
            var pixels = [UInt8](repeating: 0, count: width * height)
            try pixels.withUnsafeMutableBytes(finish)
            return GrayImage(width: width, height: height, bitDepth: 8, pixels: pixels.map(UInt16.init))
        }
    }

    /// Writes an 8- or 16-bit grayscale PNG atomically (temp file + rename).
    public static func write(_ gray: GrayImage, to path: String) throws {
        try AtomicWrite.write(try encode(gray, file: path), to: path, what: "PNG")
    }

    /// Writes an 8-bit RGB PNG atomically.
    public static func write(_ rgb: RGBImage, to path: String) throws {
        try AtomicWrite.write(try encode(rgb, file: path), to: path, what: "PNG")
    }

    /// An 8- or 16-bit grayscale PNG in memory (e.g. to embed as base64 in HTML).
    /// 8-bit images store min(value, 255).
    public static func encode(_ gray: GrayImage) throws -> [UInt8] {
        try encode(gray, file: "in-memory PNG")
    }

    private static func encode(_ gray: GrayImage, file: String) throws -> [UInt8] {
        if gray.bitDepth == 16 {
            // 16-bit "linear" is what the simplified API stores without any value change.
            return try encode(width: gray.width, height: gray.height, format: UInt32(PNG_FORMAT_LINEAR_Y),
                              samples: gray.pixels, file: file)
        }
        return try encode(width: gray.width, height: gray.height, format: UInt32(PNG_FORMAT_GRAY),
                          samples: gray.pixels.map { UInt8(min($0, 255)) }, file: file)
    }

    /// An 8-bit RGB PNG in memory.
    public static func encode(_ rgb: RGBImage) throws -> [UInt8] {
        try encode(rgb, file: "in-memory PNG")
    }

    private static func encode(_ rgb: RGBImage, file: String) throws -> [UInt8] {
        try encode(width: rgb.width, height: rgb.height, format: UInt32(PNG_FORMAT_RGB), samples: rgb.bytes, file: file)
    }

    private static func encode<Sample>(width: Int, height: Int, format: UInt32, samples: [Sample], file: String) throws -> [UInt8] {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = format
        // png.h's PNG_IMAGE_PNG_SIZE_MAX bound (filter byte per row, zlib's worst case, chunk
        // overheads), so that one compression pass fits; if libpng still asks for more, it says
        // how much and the second pass uses that.
        let rowBytes = samples.count / max(height, 1) * MemoryLayout<Sample>.size
        let dataSize = (rowBytes + 1) * height
        let compressedMax = dataSize + (dataSize + 7) >> 3 + (dataSize + 63) >> 6 + 11
        var capacity = 8 + 25 + 16 + 44 + 12 + 12 * (compressedMax / 8192 + 2) + compressedMax
        for _ in 0..<2 {
            var output = [UInt8](repeating: 0, count: capacity)
            var size = capacity
            let ok = samples.withUnsafeBytes { source in
                output.withUnsafeMutableBytes { png_image_write_to_memory(&image, $0.baseAddress, &size, 0, source.baseAddress, 0, nil) }
            }
            if ok != 0 { return Array(output.prefix(size)) }
            guard size > capacity else { break }
            capacity = size
        }
        throw DataError(file: file, "cannot encode a \(width)x\(height) PNG (\(message(image)))")
    }

    /// The PNG without the chunks that make libpng convert values: gAMA, sRGB, iCCP, cHRM.
    /// Chunks are length-prefixed and carry their own CRC, so dropping whole chunks keeps the rest
    /// valid; a malformed chunk list is passed on unchanged for libpng to report.
    static func withoutColorSpaceChunks(_ bytes: [UInt8]) -> [UInt8] {
        let colorSpaceChunks: Set<String> = ["gAMA", "sRGB", "iCCP", "cHRM"]
        var output = Array(bytes.prefix(signature.count))
        var offset = signature.count
        while offset + 12 <= bytes.count {
            let length = bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) }
            let end = offset + 12 + length
            guard end <= bytes.count else { break }
            let type = String(decoding: bytes[offset + 4..<offset + 8], as: UTF8.self)
            if !colorSpaceChunks.contains(type) { output += bytes[offset..<end] }
            offset = end
        }
        return output + bytes[offset...]
    }

    private static func readBytes(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw DataError(file: path, exists ? "cannot be read; check its permissions" : "no such file; check the path")
        }
        return [UInt8](data)
    }

    private static func message(_ image: png_image) -> String {
        var copy = image.message
        return withUnsafeBytes(of: &copy) { raw in String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
