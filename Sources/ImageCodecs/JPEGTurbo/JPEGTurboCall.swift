import CJPEGTurbo

/// The one checked call into libjpeg (through CJPEGTurbo): a status other than OK becomes a
/// CodecError naming the call and carrying libjpeg's own message.
func checkedJPEGTurbo(_ call: String, _ body: (UnsafeMutablePointer<CChar>, Int) -> Int32) throws {
    var message = [CChar](repeating: 0, count: Int(MAMMOSEG_JPEG_MESSAGE_CAPACITY))
    let status = message.withUnsafeMutableBufferPointer { body($0.baseAddress!, $0.count) }
    guard status != Int32(MAMMOSEG_JPEG_OK) else { return }
    let reason = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
    throw CodecError("JPEG: \(call) failed: \(reason.isEmpty ? "status \(status)" : reason)")
}
