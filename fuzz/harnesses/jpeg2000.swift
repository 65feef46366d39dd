import ImageCodecs

/// JPEG 2000 and HTJ2K through OpenJPEG: any bytes must decode or throw CodecError, within the small
/// limits (2^16 packets: each costs OpenJPEG about 1 µs under AddressSanitizer, even when empty).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? JPEG2000Decoder.decode(bytes, limits: DecodeLimits(maximumSamples: 1 << 22, threads: 1, maximumPackets: 1 << 16))
    return 0
}
