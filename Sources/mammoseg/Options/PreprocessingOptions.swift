import ArgumentParser
import MammoData

/// Overrides of a preprocessing policy (the checkpoint's for `predict`, the default for `import`).
struct PreprocessingOptions: ParsableArguments {
    @Option(help: "Prepared longest side in pixels (default: the policy's, 640 in the study).")
    var targetLongestSide: Int?

    @Option(help: "Prepared pixel size in mm, used when a DICOM says its PixelSpacing (default: the policy's; none in the study).")
    var targetSpacing: Double?

    @Option(help: "Margin around the breast box, as a fraction of its longer side (default: the policy's, 0.02).")
    var cropMargin: Double?

    @Flag(help: "Keep the whole image (no crop to the breast box).")
    var noCrop = false

    @Option(help: "Intensities: full-range, voi-window or breast-percentiles:LOW,HIGH (default: the policy's, full-range).")
    var intensity: String?

    func validate() throws {
        if let side = targetLongestSide, !(16...16384).contains(side) {
            throw ValidationError("--target-longest-side must be in 16…16384")
        }
        if let spacing = targetSpacing, !(spacing > 0.01 && spacing < 10) {
            throw ValidationError("--target-spacing must be in (0.01, 10) mm")
        }
        if let margin = cropMargin, !(margin >= 0 && margin <= 1) { throw ValidationError("--crop-margin must be in 0…1") }
        if let intensity, IntensityNormalization(text: intensity) == nil {
            throw ValidationError("--intensity must be full-range, voi-window or breast-percentiles:LOW,HIGH (0 ≤ LOW < HIGH ≤ 100)")
        }
    }

    /// `base` with the options given applied.
    func policy(base: PreprocessingPolicy) -> PreprocessingPolicy {
        var policy = base
        if let targetLongestSide { policy.targetLongestSide = targetLongestSide }
        if let targetSpacing { policy.targetPixelSpacing = targetSpacing }
        if let cropMargin { policy.cropMargin = cropMargin }
        if noCrop { policy.cropToBreast = false }
        if let intensity, let parsed = IntensityNormalization(text: intensity) { policy.intensity = parsed }
        return policy
    }
}
