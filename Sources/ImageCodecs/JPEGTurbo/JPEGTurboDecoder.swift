import CJPEGTurbo

/// Decodes 8-bit JPEG (baseline, extended sequential, progressive; grayscale or colour) with
/// libjpeg-turbo. Colour comes out as libjpeg converts it (YCbCr → RGB); the DICOM layer
/// decides whether it accepts colour. Lossless and 12-bit JPEG are refused with a CodecError:
/// the hand-written decoders in `JPEG/` handle those.
public enum JPEGTurboDecoder {
    public static func decode(_ data: [UInt8], limits: DecodeLimits = .default) throws -> DecodedImage {
        // A header that does not parse is left to libjpeg, whose message then says what is wrong.
        if let frame = try? JPEGFrameHeader.read(data) {
            guard frame.process != .lossless else {
                throw CodecError("JPEG: \(frame.processDescription) \(frame.precision)-bit JPEG is not decoded by libjpeg; it needs the lossless JPEG decoder")
            }
            guard frame.precision == 8 else {
                throw CodecError("JPEG: \(frame.precision)-bit \(frame.processDescription) JPEG is not decoded by libjpeg, which decodes 8-bit JPEG only; it needs the 12-bit JPEG decoder")
            }
        }
        return try data.withUnsafeBufferPointer { bytes in
            guard let base = bytes.baseAddress, bytes.count > 0 else { throw CodecError("JPEG: the codestream is empty") }
            var header = MammosegJPEGHeader()
            try checkedJPEGTurbo("jpeg_read_header") { mammoseg_jpeg_read_header(base, bytes.count, &header, $0, $1) }
            let width = Int(header.width), height = Int(header.height), components = Int(header.components)
            try limits.check(width: width, height: height, components: components)
            guard components == 1 || components == 3 else {
                throw CodecError("JPEG: the image has \(components) components (CMYK?); only grayscale and 3-component colour are supported")
            }
            let count = width * height * components
            let pixels = UnsafeMutableBufferPointer<UInt8>.allocate(capacity: count)
            defer { pixels.deallocate() }
            try checkedJPEGTurbo("jpeg_start_decompress/jpeg_read_scanlines") { mammoseg_jpeg_decode(base, bytes.count, pixels.baseAddress!, count, $0, $1) }
            return DecodedImage(width: width, height: height, components: components, precision: Int(header.precision),
                                isSigned: false, samples: widenedSamples(UnsafeBufferPointer(pixels), components: components, planar: false))
        }
    }
}
