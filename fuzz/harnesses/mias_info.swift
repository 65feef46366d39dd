@testable import MammoData

/// mini-MIAS Info.txt rows, and the disc masks drawn from them.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let rows = try? MIASInfo.parse(text, file: "Info.txt") else { return 0 }
    var mask = GrayImage(width: 64, height: 64, bitDepth: 8)
    for row in rows {
        _ = MIASImporter.patientID(row.reference)
        if let circle = row.circle { MIASImporter.drawDisc(circle, into: &mask) }
    }
    return 0
}
