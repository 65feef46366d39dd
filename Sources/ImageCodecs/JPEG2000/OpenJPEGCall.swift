import COpenJPEG

/// The one checked call into OpenJPEG: a false result becomes a CodecError naming the call and
/// carrying what OpenJPEG reported through its callbacks.
func checkedOpenJPEG(_ result: OPJ_BOOL, _ call: String, _ messages: OpenJPEGMessages) throws {
    guard result == OPJ_FALSE else { return }
    throw CodecError("JPEG 2000: \(call) failed: \(messages.summary)")
}
