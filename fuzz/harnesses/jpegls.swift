import ImageCodecs

/// JPEG-LS through CharLS: any bytes must decode or throw CodecError, within the small limits.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? JPEGLSDecoder.decode(bytes, limits: DecodeLimits(maximumSamples: 1 << 22, threads: 1))
    return 0
}
