import Foundation

/// What every image goes through before the network sees it; one policy per dataset
/// (`dataset.json`) and per checkpoint (metadata key `preprocessing`, as JSON), so `predict` on a
/// raw file prepares it exactly as the training images were.
public struct PreprocessingPolicy: Codable, Equatable, Sendable {
    /// The checkpoint metadata key holding the policy's JSON.
    public static let metadataKey = "preprocessing"
    /// The study's policy, and the one assumed for checkpoints without one.
    public static let standard = PreprocessingPolicy()

    /// The largest prepared side any policy may produce (also the bound of `targetLongestSide`).
    public static let maximumSide = 16384
    /// Pixel sizes a mammogram's header may plausibly give, in mm (detectors and digitisers
    /// 0.025–0.2); a value outside is refused where a target spacing would use it.
    public static let plausiblePixelSpacing = 0.005...5.0

    /// Longest side of the prepared (cropped) image, in pixels; used when no spacing applies.
    public var targetLongestSide: Int
    /// Prepared pixel size in mm, used instead of `targetLongestSide` when the file says its
    /// PixelSpacing or ImagerPixelSpacing; nil = always by longest side.
    public var targetPixelSpacing: Double?
    /// Crop to the breast's bounding box (plus margin); false keeps the whole image.
    public var cropToBreast: Bool
    /// Margin around the breast box, as a fraction of the box's longer side, on every side.
    public var cropMargin: Double
    public var intensity: IntensityNormalization
    /// The edge the chest wall faces in prepared images.
    public var chestWall: ChestWallSide

    public init(targetLongestSide: Int = 640, targetPixelSpacing: Double? = nil, cropToBreast: Bool = true,
                cropMargin: Double = 0.02, intensity: IntensityNormalization = .fullRange, chestWall: ChestWallSide = .left) {
        self.targetLongestSide = targetLongestSide; self.targetPixelSpacing = targetPixelSpacing
        self.cropToBreast = cropToBreast; self.cropMargin = cropMargin
        self.intensity = intensity; self.chestWall = chestWall
    }

    /// Missing keys take their defaults, so a policy written by an older version still reads.
    public init(from decoder: Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let d = PreprocessingPolicy()
        targetLongestSide = try c.decodeIfPresent(Int.self, forKey: .targetLongestSide) ?? d.targetLongestSide
        targetPixelSpacing = try c.decodeIfPresent(Double.self, forKey: .targetPixelSpacing)
        cropToBreast = try c.decodeIfPresent(Bool.self, forKey: .cropToBreast) ?? d.cropToBreast
        cropMargin = try c.decodeIfPresent(Double.self, forKey: .cropMargin) ?? d.cropMargin
        intensity = try c.decodeIfPresent(IntensityNormalization.self, forKey: .intensity) ?? d.intensity
        chestWall = try c.decodeIfPresent(ChestWallSide.self, forKey: .chestWall) ?? d.chestWall
    }

    /// Throws a `DataError` naming `file` when a value is out of range.
    public func validate(file: String) throws {
        guard (16...Self.maximumSide).contains(targetLongestSide) else {
            throw DataError(file: file, "preprocessing target longest side \(targetLongestSide) is outside 16…16384; use e.g. 640")
        }
        if let spacing = targetPixelSpacing, !(spacing > 0.01 && spacing < 10) {
            throw DataError(file: file, "preprocessing target pixel spacing \(spacing) mm is outside (0.01, 10); use e.g. 0.2")
        }
        guard cropMargin >= 0, cropMargin <= 1 else {
            throw DataError(file: file, "preprocessing crop margin \(cropMargin) is outside 0…1 (a fraction of the breast box)")
        }
    }

    /// Compact JSON (sorted keys), as stored in checkpoint metadata.
    public var jsonString: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data("{}".utf8), as: UTF8.self)
    }

    /// Parses `jsonString`'s form; `file` names where it came from in the error.
    public init(jsonString: String, file: String) throws {
        do {
            self = try JSONDecoder().decode(PreprocessingPolicy.self, from: Data(jsonString.utf8))
        } catch {
            throw DataError(file: file, "preprocessing policy is not valid (\(error)); re-create the file with this mammoseg")
        }
        try validate(file: file)
    }

    /// The policy stored in checkpoint metadata, or `standard` when there is none (older
    /// MammoSeg checkpoints, PyTorch state_dicts).
    public static func fromCheckpointMetadata(_ metadata: [String: String], file: String) throws -> PreprocessingPolicy {
        guard let text = metadata[metadataKey] else { return .standard }
        return try PreprocessingPolicy(jsonString: text, file: file)
    }
}
