/// Options every importer shares.
public struct ImportOptions: Sendable {
    /// Output scale: original, longest side N, or a fixed factor (area average for images,
    /// nearest for masks).
    public var scale: Resampling.Scale = .original
    /// Seed of the patient split (and nothing else: imports are otherwise deterministic).
    public var seed: UInt64 = 1
    /// Fraction of patients for validation (carved from train where an official split exists).
    public var valFraction: Double = 0.1
    /// Fraction of patients for test, where the source has no official split.
    public var testFraction: Double = 0.2
    /// Replace an existing dataset in the output folder.
    public var overwrite: Bool = false

    public init(scale: Resampling.Scale = .original, seed: UInt64 = 1, valFraction: Double = 0.1,
                testFraction: Double = 0.2, overwrite: Bool = false) {
        self.scale = scale; self.seed = seed; self.valFraction = valFraction
        self.testFraction = testFraction; self.overwrite = overwrite
    }

    /// As recorded in `dataset.json`.
    var recorded: [String: String] {
        ["scale": scale.description, "val_fraction": "\(valFraction)", "test_fraction": "\(testFraction)"]
    }
}

/// The common last step of every importer: orientation (chest wall to the left), scale,
/// 16-bit image and 0/255 mask of the same size.
enum ImagePreparation {
    static func prepare(image: GrayImage, mask: GrayImage, laterality: Orientation.Laterality?,
                        scale: Resampling.Scale) -> (image: GrayImage, mask: GrayImage) {
        var image = image.bitDepth == 16 ? image : image.widenedTo16Bits()
        var mask = mask.binaryMask()
        if Orientation.needsFlip(image, laterality: laterality) {
            image = image.flippedHorizontally(); mask = mask.flippedHorizontally()
        }
        let size = scale.size(width: image.width, height: image.height)
        return (Resampling.areaAverage(image, width: size.width, height: size.height),
                Resampling.nearest(mask, width: size.width, height: size.height))
    }
}
