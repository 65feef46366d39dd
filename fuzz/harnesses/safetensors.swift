import Engine

/// safetensors checkpoints: header JSON, offsets, dtypes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    _ = try? SafeTensorsFile.decode(UnsafeRawBufferPointer(start: data, count: size), file: "fuzz.safetensors",
                                    skippingNonFloat: Bool(size % 2 == 0))
    return 0
}
