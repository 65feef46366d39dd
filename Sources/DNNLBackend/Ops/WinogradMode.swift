import Foundation

/// When fused inference convolutions use MammoSeg's own Winograd (`WinogradConvolution`).
public enum WinogradMode: Sendable {
    /// Where oneDNN has no Winograd of its own for the convolution on this CPU (no AVX-512).
    case automatic
    /// For every convolution the path covers (to test or compare it on AVX-512 machines).
    case always
    /// Never: oneDNN's algorithms only.
    case never

    /// `MAMMOSEG_WINOGRAD`: unset or `auto` automatic, `1` always, `0` never. Automatic by
    /// default since the blocked phase decomposition: beside OpenVINO in the same runs it adds
    /// 6–10 % to inference at 640² and 256² (docs/performance.md). Its price is the first
    /// pass, which transforms the weights once (~0.3 s and ~115 MB at 640², width 1.0).
    static func fromEnvironment() -> WinogradMode {
        switch ProcessInfo.processInfo.environment["MAMMOSEG_WINOGRAD"] {
        case "1": return .always
        case "0": return .never
        default: return .automatic
        }
    }

    /// `MAMMOSEG_WINOGRAD_MIN_CHANNELS`: the fewest channels in and out for the path (a
    /// measurement knob, for finding the threshold on another CPU); nil when unset or not a number ≥ 1.
    static func minimumChannelsFromEnvironment() -> Int? {
        guard let text = ProcessInfo.processInfo.environment["MAMMOSEG_WINOGRAD_MIN_CHANNELS"],
              let value = Int(text), value >= 1 else { return nil }
        return value
    }
}
