import COpenJPEG

/// Decodes JPEG 2000 (J2K codestreams, JP2 files, HTJ2K codestreams) with OpenJPEG.
///
/// The SIZ, COD and COC marker segments are read and checked against the limits (samples,
/// tile-components, packets) before OpenJPEG reads the header, whose tile set-up alone can take
/// seconds, and walks the packets, which can take longer; truncated
/// or damaged data are refused (OpenJPEG's strict mode) rather than returned half-decoded.
public enum JPEG2000Decoder {
    public static func decode(_ data: [UInt8], limits: DecodeLimits = .default) throws -> DecodedImage {
        let container = try JPEG2000Container(signatureOf: data)
        let codestream = try container.codestream(in: data)
        let size = try JPEG2000ImageAndTileSize(codestream: codestream)
        try size.check(against: limits)
        try JPEG2000PacketEstimate(codestream: codestream.dropFirst(4 + size.segmentLength), size: size).check(against: limits)
        return try data.withUnsafeBytes { bytes in
            let messages = OpenJPEGMessages()
            return try withExtendedLifetime(messages) {
                try decode(bytes, container: container, limits: limits, messages: messages)
            }
        }
    }

    private static func decode(_ bytes: UnsafeRawBufferPointer, container: JPEG2000Container,
                               limits: DecodeLimits, messages: OpenJPEGMessages) throws -> DecodedImage {
        let stream = try OpenJPEGMemoryStream(bytes: bytes)
        defer { stream.destroy() }
        guard let codec = opj_create_decompress(container.openJPEGFormat) else {
            throw CodecError("JPEG 2000: opj_create_decompress failed (out of memory)")
        }
        defer { opj_destroy_codec(codec) }
        messages.attach(to: codec)

        var parameters = opj_dparameters_t()
        opj_set_default_decoder_parameters(&parameters)
        try checkedOpenJPEG(opj_setup_decoder(codec, &parameters), "opj_setup_decoder", messages)
        // Truncated tiles become an error instead of an image with missing detail.
        try checkedOpenJPEG(opj_decoder_set_strict_mode(codec, OPJ_TRUE), "opj_decoder_set_strict_mode", messages)
        // False only when OpenJPEG was built without threads: decoding then runs on one core.
        _ = opj_codec_set_threads(codec, Int32(limits.threads > 0 ? limits.threads : Int(opj_get_num_cpus())))

        var headerImage: UnsafeMutablePointer<opj_image_t>?
        try checkedOpenJPEG(opj_read_header(stream.stream, codec, &headerImage), "opj_read_header", messages)
        guard let image = headerImage else { throw CodecError("JPEG 2000: opj_read_header returned no image") }
        defer { opj_image_destroy(image) }

        let geometry = try JPEG2000Geometry(header: image.pointee)
        try limits.check(width: geometry.width, height: geometry.height, components: geometry.components)

        try checkedOpenJPEG(opj_decode(codec, stream.stream, image), "opj_decode", messages)
        try checkedOpenJPEG(opj_end_decompress(codec, stream.stream), "opj_end_decompress", messages)
        return try DecodedImage(
            width: geometry.width, height: geometry.height, components: geometry.components,
            precision: geometry.precision, isSigned: geometry.isSigned,
            samples: interleavedSamples(of: image.pointee, geometry: geometry))
    }

    /// Copies the components' planes into one row-major, pixel-interleaved array.
    private static func interleavedSamples(of image: opj_image_t, geometry: JPEG2000Geometry) throws -> [Int32] {
        let width = geometry.width, height = geometry.height, components = geometry.components
        var planes: [UnsafePointer<Int32>] = []
        for index in 0..<components {
            let component = image.comps[index]
            guard let data = component.data, Int(component.w) == width, Int(component.h) == height else {
                throw CodecError("JPEG 2000: component \(index) decoded to \(component.w) × \(component.h) samples instead of \(width) × \(height); the data are damaged")
            }
            planes.append(UnsafePointer(data))
        }
        let count = width * height
        return [Int32](unsafeUninitializedCapacity: count * components) { buffer, initialized in
            let out = buffer.baseAddress!
            if components == 1 {
                out.update(from: planes[0], count: count)
            } else {
                for (index, plane) in planes.enumerated() {
                    var source = plane, target = out + index
                    for _ in 0..<count {
                        target.pointee = source.pointee
                        source += 1
                        target += components
                    }
                }
            }
            initialized = count * components
        }
    }
}
