@testable import MammoData

/// PNG through libpng's simplified API, after our header checks and chunk filtering.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? PNG.decodeGray(bytes, file: "fuzz.png", limits: FuzzLimits.small)
    return 0
}
