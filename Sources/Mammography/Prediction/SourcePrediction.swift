import Foundation
import MammoData

/// What `predict` computes for one input file, shared by the CLI and the viewer (`mammoseg serve`):
/// the image as read and P(abnormal) per pixel in the image's own grid.
public struct SourcePrediction {
    /// The image the network saw before preparation (the policy's intensity mapping applied).
    public let image: GrayImage
    /// P(abnormal), `image.width × image.height`, row-major; 0 outside the breast.
    public let probability: [Float]

    /// Reads `path` (PNG, DICOM or PGM) and predicts it: prepared as the training images were
    /// (`preprocessing`) and mapped back, or, with `preprocessing` nil, run as given.
    public static func predict(path: String, predictor: Predictor, preprocessing: Preprocessing?) throws -> SourcePrediction {
        let source = try SourceImage.read(path, intensity: preprocessing?.policy.intensity ?? .fullRange)
        return try predict(source: source, path: path, predictor: predictor, preprocessing: preprocessing)
    }

    /// As `predict(path:…)` for an image already read from `path` with `SourceImage.read(_:intensity:)`.
    /// The laterality is the one the file states (header, per-view PatientID, file name), as importers take it.
    public static func predict(source: SourceImage, path: String, predictor: Predictor,
                               preprocessing: Preprocessing?) throws -> SourcePrediction {
        let image = source.image
        guard let preprocessing else {
            return SourcePrediction(image: image, probability: try predictor.probability(image: image.normalized(),
                                                                                          width: image.width, height: image.height))
        }
        let name = (path as NSString).lastPathComponent
        let p = try predictor.sourceGridProbability(of: image, preprocessing: preprocessing,
                                                    laterality: source.statedLaterality(name: name),
                                                    pixelSpacing: source.pixelSpacing, file: path).probability
        return SourcePrediction(image: image, probability: p)
    }
}
