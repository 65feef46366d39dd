import ImageCodecs

/// JPEG (hand-written lossless and 12-bit decoders, libjpeg-turbo for 8-bit): any bytes must decode or throw CodecError, within the small limits.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? JPEGDecoder.decode(bytes, limits: DecodeLimits(maximumSamples: 1 << 22, threads: 1))
    return 0
}
