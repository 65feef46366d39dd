import CCharLS

/// The one checked call into CharLS: a status other than success becomes a CodecError naming
/// the call and carrying CharLS's own message.
func checkedCharLS(_ status: charls_jpegls_errc, _ call: String) throws {
    guard status != CHARLS_JPEGLS_ERRC_SUCCESS else { return }
    let reason = charls_get_error_message(status).map { String(cString: $0) } ?? "error \(status.rawValue)"
    throw CodecError("JPEG-LS: \(call) failed: \(reason)")
}
