extension SegmentationModel {
    /// The stages that raise the resolution, in forward order: the reference's `upN`
    /// modules (a transposed convolution, or the convolution right after a nearest resize)
    /// and `tconvN`. Their outputs are where upsampling artifacts are born, so these are the
    /// feature maps the checkerboard measurements look at; the resize step itself (`upN_resize`)
    /// is a copy, not a learned layer, and is left out.
    ///
    /// dilated-resize and dilated-transpose-first: up1…up5, tconv1, tconv2; the FCN family: up1…up7.
    public var upsamplingLayers: [String] {
        let divisor = architecture.sizeDivisor
        return summarize(inputShape: [1, 1, divisor, divisor]).map(\.name).filter(Self.isUpsamplingName)
    }

    static func isUpsamplingName(_ name: String) -> Bool {
        for prefix in ["up", "tconv"] where name.hasPrefix(prefix) {
            let suffix = name.dropFirst(prefix.count)
            return !suffix.isEmpty && suffix.allSatisfy(\.isNumber)
        }
        return false
    }
}
