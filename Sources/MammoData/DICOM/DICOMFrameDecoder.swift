import ImageCodecs

/// One compressed frame → stored values: the codestream goes to the codec of its syntax
/// (`ImageCodecs`), and the result is checked against the header and mapped to stored values
/// the way pydicom does.
enum DICOMFrameDecoder {
    static func storedValues(_ codestream: [UInt8], syntax: DICOMCompressedSyntax, layout: DICOMPixelLayout,
                             limits: DecodeLimits, file: String) throws -> [Int32] {
        let image: DecodedImage
        do {
            image = try decode(codestream, family: syntax.family, limits: limits)
        } catch let error as CodecError {
            throw DataError(file: file, "cannot decode its \(syntax.family.rawValue) pixel data: \(error.reason)")
        }
        guard image.components == 1 else {
            throw DataError(file: file, "the \(syntax.family.rawValue) codestream holds \(image.components) colour components; only grayscale is supported, convert it to grayscale first")
        }
        guard image.width == layout.columns, image.height == layout.rows else {
            throw DataError(file: file, "the \(syntax.family.rawValue) codestream is \(image.width)x\(image.height) but the header says \(layout.columns)x\(layout.rows); the file is damaged")
        }
        guard image.precision <= layout.bitsAllocated || image.isSigned else {
            throw DataError(file: file, "the \(syntax.family.rawValue) codestream has \(image.precision)-bit samples but BitsAllocated is \(layout.bitsAllocated); the file is damaged")
        }
        var values = image.samples
        if layout.signed && !image.isSigned {
            // Two's complement pixels encoded as unsigned samples: sign-extend from BitsStored.
            let shift = Int32(32 - layout.bitsStored)
            for i in values.indices { values[i] = (values[i] << shift) >> shift }
        }
        return values
    }

    private static func decode(_ codestream: [UInt8], family: DICOMCompressedSyntax.Family, limits: DecodeLimits) throws -> DecodedImage {
        switch family {
        case .jpeg: return try JPEGDecoder.decode(codestream, limits: limits)
        case .jpegLS: return try JPEGLSDecoder.decode(codestream, limits: limits)
        case .jpeg2000: return try JPEG2000Decoder.decode(codestream, limits: limits)
        }
    }
}
