import CPNG
import Foundation

/// PNG files through libpng's simplified API (`png_image`).
public enum PNG {
    /// Reads a grayscale PNG as 8- or 16-bit (colour files are converted to gray by libpng).
    public static func readGray(_ path: String) throws -> GrayImage {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        guard png_image_begin_read_from_file(&image, path) != 0 else {
            throw DataError(file: path, "not a readable PNG (\(message(image)))")
        }
        defer { png_image_free(&image) }
        let sixteen = (image.format & UInt32(PNG_FORMAT_FLAG_LINEAR)) != 0 || sourceBitDepth(path) == 16
        image.format = sixteen ? UInt32(PNG_FORMAT_LINEAR_Y) : UInt32(PNG_FORMAT_GRAY)
        let width = Int(image.width), height = Int(image.height)
        if sixteen {
            var buffer = [UInt16](repeating: 0, count: width * height)
            let ok = buffer.withUnsafeMutableBytes {
                png_image_finish_read(&image, nil, $0.baseAddress, 0, nil)
            }
            guard ok != 0 else { throw DataError(file: path, "corrupt PNG (\(message(image)))") }
            return GrayImage(width: width, height: height, bitDepth: 16, pixels: buffer)
        } else {
            var buffer = [UInt8](repeating: 0, count: width * height)
            let ok = buffer.withUnsafeMutableBytes {
                png_image_finish_read(&image, nil, $0.baseAddress, 0, nil)
            }
            guard ok != 0 else { throw DataError(file: path, "corrupt PNG (\(message(image)))") }
            return GrayImage(width: width, height: height, bitDepth: 8, pixels: buffer.map { UInt16($0) })
        }
    }

    /// Writes an 8- or 16-bit grayscale PNG atomically (temp file + rename).
    public static func write(_ gray: GrayImage, to path: String) throws {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(gray.width); image.height = UInt32(gray.height)
        if gray.bitDepth == 16 {
            // The simplified API's 16-bit format is linear; store the values as they are (no gamma change).
            image.format = UInt32(PNG_FORMAT_LINEAR_Y)
            try writeAtomically(path) { tmp in
                gray.pixels.withUnsafeBytes { png_image_write_to_file(&image, tmp, 0, $0.baseAddress, 0, nil) }
            } message: { message(image) }
        } else {
            image.format = UInt32(PNG_FORMAT_GRAY)
            let bytes = gray.pixels.map { UInt8(truncatingIfNeeded: min($0, 255)) }
            try writeAtomically(path) { tmp in
                bytes.withUnsafeBytes { png_image_write_to_file(&image, tmp, 0, $0.baseAddress, 0, nil) }
            } message: { message(image) }
        }
    }

    /// Writes an 8-bit RGB PNG atomically.
    public static func write(_ rgb: RGBImage, to path: String) throws {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(rgb.width); image.height = UInt32(rgb.height)
        image.format = UInt32(PNG_FORMAT_RGB)
        try writeAtomically(path) { tmp in
            rgb.bytes.withUnsafeBytes { png_image_write_to_file(&image, tmp, 0, $0.baseAddress, 0, nil) }
        } message: { message(image) }
    }

    private static func writeAtomically(_ path: String, _ body: (String) -> Int32, message: () -> String) throws {
        let tmp = path + ".tmp-\(getpid())"
        guard body(tmp) != 0 else {
            unlink(tmp)
            throw DataError(file: path, "cannot write PNG (\(message())); check that the folder exists and is writable")
        }
        guard rename(tmp, path) == 0 else {
            unlink(tmp)
            throw DataError(file: path, "cannot move the written PNG into place: \(String(cString: strerror(errno)))")
        }
    }

    private static func message(_ image: png_image) -> String {
        var copy = image.message
        return withUnsafeBytes(of: &copy) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }

    /// The IHDR bit depth (byte 24 of a PNG file), so 16-bit files are read as 16-bit.
    private static func sourceBitDepth(_ path: String) -> Int {
        guard let handle = FileHandle(forReadingAtPath: path) else { return 8 }
        defer { try? handle.close() }
        let header = handle.readData(ofLength: 25)
        return header.count == 25 ? Int(header[24]) : 8
    }
}
