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
    /// The breast-aware preparation (`Preprocessing`); it replaces `scale`. Nil keeps the older
    /// geometry: mirror and `scale` only, no breast mask or crop (a transform is recorded either way).
    public var preprocessing: PreprocessingPolicy? = nil

    public init(scale: Resampling.Scale = .original, seed: UInt64 = 1, valFraction: Double = 0.1,
                testFraction: Double = 0.2, overwrite: Bool = false, preprocessing: PreprocessingPolicy? = nil) {
        self.scale = scale; self.seed = seed; self.valFraction = valFraction
        self.testFraction = testFraction; self.overwrite = overwrite; self.preprocessing = preprocessing
    }

    /// As recorded in `dataset.json` (the policy itself goes into its own field).
    var recorded: [String: String] {
        [preprocessing == nil ? "scale" : "preprocessing": preprocessing == nil ? scale.description : "policy",
         "val_fraction": "\(valFraction)", "test_fraction": "\(testFraction)"]
    }

    /// The provenance every importer writes, with the policy filled in.
    func provenance(importer: String, sources: [String], skipped: [String: Int]) -> DatasetProvenance {
        var provenance = DatasetProvenance(importer: importer, sources: sources, options: recorded, seed: seed, skipped: skipped)
        provenance.preprocessing = preprocessing
        return provenance
    }
}

/// The common last step of every importer: `Preprocessing` with the options' policy (breast
/// mask, mirror, crop, scale to the target spacing when the file gives its pixel spacing, else
/// to the longest side, intensities), or without one the older mirror-and-scale; the lesion
/// mask follows the same geometry (nearest neighbour); the transform is kept for the manifest.
enum ImagePreparation {
    struct Result {
        var image: GrayImage
        var mask: GrayImage
        var transform: PreprocessingTransform
    }

    /// Throws a `DataError` naming `file` when its pixel spacing cannot be used (`Preprocessing.prepare`).
    static func prepare(image: GrayImage, mask: GrayImage, laterality: Orientation.Laterality?,
                        options: ImportOptions, pixelSpacing: Double?, file: String) throws -> Result {
        let image = image.bitDepth == 16 ? image : image.widenedTo16Bits()
        let mask = mask.binaryMask()
        if let policy = options.preprocessing {
            let prepared = try Preprocessing(policy: policy).prepare(image, laterality: laterality, pixelSpacing: pixelSpacing, file: file)
            return Result(image: prepared.image, mask: prepared.transform.applyToLabels(mask), transform: prepared.transform)
        }
        let flipped = Orientation.needsFlip(image, laterality: laterality)
        let size = options.scale.size(width: image.width, height: image.height)
        let transform = PreprocessingTransform(sourceWidth: image.width, sourceHeight: image.height, flipped: flipped,
                                               crop: PixelBox(x: 0, y: 0, width: image.width, height: image.height),
                                               preparedWidth: size.width, preparedHeight: size.height)
        return Result(image: transform.apply(to: image).image, mask: transform.applyToLabels(mask), transform: transform)
    }

    /// A DICOM file's image with the intensity mapping the policy asks for: its VOI window for
    /// `voi-window` (throws, naming the file, when it has none), else the full stored range.
    static func image(of file: DICOMFile, options: ImportOptions) throws -> GrayImage {
        try file.importedImage(applyWindow: options.intensity == .voiWindow)
    }
}

extension ImportOptions {
    /// The intensity mapping images are read with (the policy's; full range without one).
    var intensity: IntensityNormalization { preprocessing?.intensity ?? .fullRange }
}
