import CCharLS

/// Decodes JPEG-LS (lossless and near-lossless, 2 to 16 bits, any interleave mode) with CharLS.
///
/// The frame header is checked against the limits before the output is allocated. JPEG-LS has
/// no notion of signed samples: the caller applies PixelRepresentation.
public enum JPEGLSDecoder {
    public static func decode(_ data: [UInt8], limits: DecodeLimits = .default) throws -> DecodedImage {
        guard !data.isEmpty else { throw CodecError("JPEG-LS: the codestream is empty") }
        // CharLS 2.4 can spend seconds on a truncated scan before it fails; a stream without
        // its end-of-image marker is refused at once.
        guard endsWithEndOfImage(data) else {
            throw CodecError("JPEG-LS: the codestream does not end with an end-of-image marker (FF D9); it is truncated")
        }
        guard let decoder = charls_jpegls_decoder_create() else {
            throw CodecError("JPEG-LS: charls_jpegls_decoder_create failed (out of memory)")
        }
        defer { charls_jpegls_decoder_destroy(decoder) }
        return try data.withUnsafeBytes { bytes in
            try checkedCharLS(charls_jpegls_decoder_set_source_buffer(decoder, bytes.baseAddress!, bytes.count),
                              "charls_jpegls_decoder_set_source_buffer")
            try checkedCharLS(charls_jpegls_decoder_read_header(decoder), "charls_jpegls_decoder_read_header")
            var frame = charls_frame_info()
            try checkedCharLS(charls_jpegls_decoder_get_frame_info(decoder, &frame), "charls_jpegls_decoder_get_frame_info")
            let width = Int(frame.width), height = Int(frame.height), components = Int(frame.component_count)
            let precision = Int(frame.bits_per_sample)
            try limits.check(width: width, height: height, components: components)
            guard (2...16).contains(precision) else {
                throw CodecError("JPEG-LS: the frame declares \(precision)-bit samples; 2 to 16 bits are valid")
            }
            var interleave = CHARLS_INTERLEAVE_MODE_NONE
            try checkedCharLS(charls_jpegls_decoder_get_interleave_mode(decoder, &interleave),
                              "charls_jpegls_decoder_get_interleave_mode")

            let bytesPerSample = precision <= 8 ? 1 : 2
            let sampleCount = width * height * components
            var destinationSize = 0
            try checkedCharLS(charls_jpegls_decoder_get_destination_size(decoder, 0, &destinationSize),
                              "charls_jpegls_decoder_get_destination_size")
            guard destinationSize == sampleCount * bytesPerSample else {
                throw CodecError("JPEG-LS: CharLS asks for \(destinationSize) bytes for \(width) × \(height) × \(components) \(precision)-bit samples; the header is inconsistent")
            }
            // Interleave mode none decodes plane after plane; line and sample decode pixel-interleaved.
            let planar = interleave == CHARLS_INTERLEAVE_MODE_NONE
            let samples: [Int32]
            if bytesPerSample == 1 {
                let buffer = try decoded(decoder, as: UInt8.self, count: sampleCount)
                defer { buffer.deallocate() }
                samples = widenedSamples(UnsafeBufferPointer(buffer), components: components, planar: planar)
            } else {
                let buffer = try decoded(decoder, as: UInt16.self, count: sampleCount)
                defer { buffer.deallocate() }
                samples = widenedSamples(UnsafeBufferPointer(buffer), components: components, planar: planar)
            }
            return DecodedImage(width: width, height: height, components: components,
                                precision: precision, isSigned: false, samples: samples)
        }
    }

    /// FF D9 at the end, after any zero bytes that pad a DICOM fragment to even length. A
    /// marker cannot occur inside JPEG-LS scan data (an FF there is followed by a byte < 0x80).
    private static func endsWithEndOfImage(_ data: [UInt8]) -> Bool {
        var end = data.count
        while end > 0, data[end - 1] == 0 { end -= 1 }
        return end >= 2 && data[end - 2] == 0xFF && data[end - 1] == 0xD9
    }

    /// The decoded samples in a buffer the caller deallocates.
    private static func decoded<Sample>(_ decoder: OpaquePointer, as _: Sample.Type, count: Int) throws -> UnsafeMutableBufferPointer<Sample> {
        let buffer = UnsafeMutableBufferPointer<Sample>.allocate(capacity: count)
        do {
            try checkedCharLS(charls_jpegls_decoder_decode_to_buffer(decoder, buffer.baseAddress!, count * MemoryLayout<Sample>.size, 0),
                              "charls_jpegls_decoder_decode_to_buffer")
        } catch {
            buffer.deallocate()
            throw error
        }
        return buffer
    }
}
