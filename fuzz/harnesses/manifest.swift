@testable import MammoData

/// manifest.csv (and the RFC 4180 CSV reader under it).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? Manifest.parse(text, file: "manifest.csv")
    return 0
}
