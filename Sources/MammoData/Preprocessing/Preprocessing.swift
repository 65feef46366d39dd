/// The one preparation every importer and `predict` run: breast mask (labels, markers, tape and
/// borders become background), mirror so the chest wall faces the policy's side, crop to the
/// breast box plus margin, scale to the target spacing or longest side, normalise intensities.
public struct Preprocessing: Sendable {
    public var policy: PreprocessingPolicy

    public init(policy: PreprocessingPolicy = .standard) { self.policy = policy }

    /// Prepares `image` (16-bit, or 8-bit widened). `laterality` decides the mirroring when known
    /// (else the side holding more of the breast is the chest wall); `pixelSpacing` (mm, from the
    /// DICOM header) is used when the policy has a target spacing, and must then be plausible and
    /// give a prepared image of at most `PreprocessingPolicy.maximumSide` per side: a header's
    /// number is checked before it sizes an allocation (`file` names the image in the error).
    public func prepare(_ image: GrayImage, laterality: Orientation.Laterality? = nil, pixelSpacing: Double? = nil,
                        file: String = "image") throws -> PreparedImage {
        if policy.targetPixelSpacing != nil, let pixelSpacing, !PreprocessingPolicy.plausiblePixelSpacing.contains(pixelSpacing) {
            let range = PreprocessingPolicy.plausiblePixelSpacing
            throw DataError(file: file, "PixelSpacing/ImagerPixelSpacing says \(pixelSpacing) mm per pixel, outside the \(range.lowerBound)…\(range.upperBound) mm a mammogram can have; fix the header, or prepare by longest side (without --target-spacing)")
        }
        let source = image.bitDepth == 16 ? image : image.widenedTo16Bits()
        let breast = BreastMask.detect(in: source)
        let transform = self.transform(breast: breast, laterality: laterality, pixelSpacing: pixelSpacing)
        guard max(transform.preparedWidth, transform.preparedHeight) <= PreprocessingPolicy.maximumSide else {
            throw DataError(file: file, "at \(pixelSpacing ?? 0) mm per pixel, target spacing \(policy.targetPixelSpacing ?? 0) mm makes a \(transform.preparedWidth)x\(transform.preparedHeight) prepared image, above \(PreprocessingPolicy.maximumSide) per side; choose a coarser --target-spacing")
        }
        var (prepared, preparedMask) = transform.apply(to: source, breastMask: breast)
        policy.intensity.apply(to: &prepared, breast: preparedMask!)
        return PreparedImage(image: prepared, breastMask: preparedMask!, sourceBreastMask: breast, transform: transform)
    }

    /// The geometry for a source whose breast is `breast`.
    public func transform(breast: BinaryMask, laterality: Orientation.Laterality?, pixelSpacing: Double?) -> PreprocessingTransform {
        let width = breast.width, height = breast.height
        let chestWallIsLeftInSource: Bool
        if let laterality {
            chestWallIsLeftInSource = laterality == .left  // the importers' convention: left breasts face right
        } else {
            var left = 0, right = 0
            for y in 0..<height {
                for x in 0..<width / 2 where breast[x, y] { left += 1 }
                for x in (width - width / 2)..<width where breast[x, y] { right += 1 }
            }
            chestWallIsLeftInSource = left >= right
        }
        let flipped = chestWallIsLeftInSource != (policy.chestWall == .left)
        var crop = PixelBox(x: 0, y: 0, width: width, height: height)
        if policy.cropToBreast, let box = breast.boundingBox {
            let margin = Int((policy.cropMargin * Double(max(box.width, box.height))).rounded())
            crop = box.expanded(by: margin, within: (width, height))
            if flipped { crop = crop.mirrored(imageWidth: width) }
        }
        let factor: Double
        if let target = policy.targetPixelSpacing, let pixelSpacing, pixelSpacing > 0 {
            factor = pixelSpacing / target
        } else {
            factor = Double(policy.targetLongestSide) / Double(max(crop.width, crop.height))
        }
        return PreprocessingTransform(sourceWidth: width, sourceHeight: height, flipped: flipped, crop: crop,
                                      preparedWidth: max(1, Int((Double(crop.width) * factor).rounded())),
                                      preparedHeight: max(1, Int((Double(crop.height) * factor).rounded())))
    }
}
