import Foundation

/// When fused inference convolutions use MammoSeg's own Winograd (`WinogradConvolution`).
public enum WinogradMode: Sendable {
    /// Where oneDNN has no Winograd of its own for the convolution on this CPU (no AVX-512).
    case automatic
    /// For every convolution the path covers (to test or compare it on AVX-512 machines).
    case always
    /// Never: oneDNN's algorithms only.
    case never

    /// `MAMMOSEG_WINOGRAD`: `1` always, `0` never, unset (or anything else) automatic.
    static func fromEnvironment() -> WinogradMode {
        switch ProcessInfo.processInfo.environment["MAMMOSEG_WINOGRAD"] {
        case "1": return .always
        case "0": return .never
        default: return .automatic
        }
    }
}
