@testable import MammoData

/// DICOM: meta group, data set (explicit/implicit, big endian, deflate, RLE), pixel layout.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    _ = try? DICOMFile(bytes: bytes, path: "fuzz.dcm", limits: FuzzLimits.small)
    return 0
}
