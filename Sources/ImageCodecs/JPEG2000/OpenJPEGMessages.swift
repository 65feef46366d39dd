import Foundation
import COpenJPEG

/// Collects what OpenJPEG reports through its error and warning callbacks (it prints them to
/// nobody by default), so a failed call can say why.
final class OpenJPEGMessages {
    private(set) var errors: [String] = []
    private(set) var warnings: [String] = []

    /// Routes `codec`'s error and warning callbacks here. The caller keeps `self` alive for as
    /// long as the codec can call back.
    func attach(to codec: UnsafeMutablePointer<opj_codec_t?>) {
        let context = Unmanaged.passUnretained(self).toOpaque()
        _ = opj_set_error_handler(codec, { message, context in
            OpenJPEGMessages.from(context)?.errors.append(OpenJPEGMessages.text(message))
        }, context)
        _ = opj_set_warning_handler(codec, { message, context in
            OpenJPEGMessages.from(context)?.warnings.append(OpenJPEGMessages.text(message))
        }, context)
    }

    /// One line: the errors, then the warnings, at most a few of each.
    var summary: String {
        let shown = errors.prefix(3) + warnings.prefix(2).map { "warning: \($0)" }
        return shown.isEmpty ? "OpenJPEG gave no reason" : shown.joined(separator: "; ")
    }

    private static func from(_ context: UnsafeMutableRawPointer?) -> OpenJPEGMessages? {
        context.map { Unmanaged<OpenJPEGMessages>.fromOpaque($0).takeUnretainedValue() }
    }

    private static func text(_ message: UnsafePointer<CChar>?) -> String {
        guard let message else { return "" }
        return String(cString: message).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
