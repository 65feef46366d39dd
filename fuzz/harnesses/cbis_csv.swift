@testable import MammoData

/// CBIS-DDSM case description CSVs.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    _ = try? CBISDescriptionTable.parse(text, file: "mass_case_description.csv")
    return 0
}
