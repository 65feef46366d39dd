/// Any JPEG codestream (ITU T.81) to samples, routed by its frame header rather than by the
/// DICOM transfer syntax (files are often labelled with the wrong JPEG syntax):
/// 8-bit DCT (baseline, extended, progressive, arithmetic) → libjpeg-turbo, whose SIMD IDCT is
/// the fastest here; 12-bit sequential DCT → `JPEGSequentialDecoder`; lossless (process 14,
/// any predictor) → `JPEGLosslessDecoder`. Hierarchical and 12-bit progressive JPEG are refused.
public enum JPEGDecoder {
    public static func decode(_ data: [UInt8], limits: DecodeLimits = .default) throws -> DecodedImage {
        let frame = try JPEGFrameHeader.read(data)
        guard !frame.isDifferential else {
            throw CodecError("JPEG: hierarchical JPEG (\(frame.processDescription)) is not supported; re-encode it, e.g. with gdcmconv --raw")
        }
        switch frame.process {
        case .lossless:
            return try JPEGLosslessDecoder.decode(data, limits: limits)
        case _ where frame.precision == 8:
            return try JPEGTurboDecoder.decode(data, limits: limits)
        case .baseline where frame.entropyCoding == .huffman, .extendedSequential where frame.entropyCoding == .huffman:
            return try JPEGSequentialDecoder.decode(data, limits: limits)
        default:
            throw CodecError("JPEG: \(frame.precision)-bit \(frame.processDescription) JPEG is not supported; re-encode it, e.g. with gdcmconv --raw")
        }
    }
}
