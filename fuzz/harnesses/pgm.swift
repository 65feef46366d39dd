@testable import MammoData

/// Netpbm P5/P2 gray maps.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? PGM.parse(bytes, file: "fuzz.pgm", limits: FuzzLimits.small)
    return 0
}
