import Foundation

/// When fused inference convolutions use MammoSeg's own Winograd (`WinogradConvolution`).
public enum WinogradMode: Sendable {
    /// Where oneDNN has no Winograd of its own for the convolution on this CPU (no AVX-512).
    case automatic
    /// For every convolution the path covers (to test or compare it on AVX-512 machines).
    case always
    /// Never: oneDNN's algorithms only.
    case never

    /// `MAMMOSEG_WINOGRAD`: `1` always, `auto` automatic, unset or `0` never. Opt-in until it is
    /// measured beside OpenVINO on a quiet machine: its first pass transforms every weight
    /// (~3.5 s at 640², width 1.0), which a one-exam `predict` would pay.
    static func fromEnvironment() -> WinogradMode {
        switch ProcessInfo.processInfo.environment["MAMMOSEG_WINOGRAD"] {
        case "1": return .always
        case "auto": return .automatic
        default: return .never
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
