/// One evaluated image: the network's probability map next to the true mask.
///
/// All arrays are row-major `[height, width]`, top row first.
/// - `probability`: softmax probability of class 1 (abnormal) per pixel, in [0, 1].
/// - `mask`: 0 = normal, anything else = abnormal (the dataset stores 0/255; 0/1 is fine too).
/// - `breast`: pixels that belong to the breast; `nil` means every pixel does.
///   The negative-image false-positive rate counts only breast pixels, so the black
///   background cannot dilute it.
public struct SegmentationSample: Sendable {
    public var id: String
    public var width: Int
    public var height: Int
    public var probability: [Float]
    public var mask: [UInt8]
    public var breast: [Bool]?
    /// The woman the image belongs to: confidence intervals resample patients, not images.
    public var patientID: String?
    /// Mass-like normal findings (synthetic confounders), 0 = none; nil when unknown.
    /// False positives on them are counted apart on negative images.
    public var confounder: [UInt8]?

    public init(id: String, width: Int, height: Int, probability: [Float], mask: [UInt8], breast: [Bool]? = nil,
                patientID: String? = nil) {
        self.id = id; self.width = width; self.height = height
        self.probability = probability; self.mask = mask; self.breast = breast; self.patientID = patientID
    }

    /// A sample whose breast region is derived from the model input image
    /// (intensities in [0, 1]) with `BreastMask.threshold`.
    public init(id: String, width: Int, height: Int, probability: [Float], mask: [UInt8], image: [Float],
                patientID: String? = nil) {
        self.init(id: id, width: width, height: height, probability: probability, mask: mask,
                  breast: BreastMask.threshold(image: image), patientID: patientID)
    }

    /// An image is positive (abnormal) when its mask marks at least one pixel.
    public var isPositive: Bool { mask.contains { $0 != 0 } }

    /// Throws when an array does not hold exactly one value per pixel.
    public func validate() throws {
        try checkPixelCount(probability.count, width: width, height: height, "\(id): probability map")
        try checkPixelCount(mask.count, width: width, height: height, "\(id): mask")
        if let breast { try checkPixelCount(breast.count, width: width, height: height, "\(id): breast mask") }
        if let confounder { try checkPixelCount(confounder.count, width: width, height: height, "\(id): confounder mask") }
    }
}

/// The breast region of a mammogram: the background of a mammogram is (near) black.
public enum BreastMask {
    /// Default cut on model-input intensities in [0, 1]: 2 % of full scale sits above
    /// the quantisation noise of the air region yet below the faintest skin line.
    public static let defaultThreshold: Float = 0.02

    /// `image[i] > cut` per pixel. `image` holds model-input intensities in [0, 1].
    public static func threshold(image: [Float], cut: Float = defaultThreshold) -> [Bool] {
        image.map { $0 > cut }
    }
}
