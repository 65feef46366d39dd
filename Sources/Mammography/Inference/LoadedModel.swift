import Engine
import MammoData

/// A network rebuilt from a checkpoint: MammoSeg checkpoints say their architecture,
/// size and width in metadata; for others (e.g. a PyTorch state_dict) the caller supplies them.
public struct LoadedModel {
    public let model: any SegmentationModel
    public let size: Int
    public let checkpoint: Checkpoint
    /// How the training images were prepared (metadata `preprocessing`); the study's default
    /// for checkpoints that do not say (older MammoSeg ones, PyTorch state_dicts).
    public let preprocessing: PreprocessingPolicy

    public init(checkpoint path: String, architecture: String? = nil, width: Double? = nil, size: Int? = nil) throws {
        let checkpoint = try Checkpoint.load(path)
        guard let archName = architecture ?? checkpoint.metadata["arch"] else {
            throw TrainingError.checkpoint(path, "the checkpoint does not say its architecture; pass --arch (and --width)")
        }
        let arch = try Architecture(named: archName)
        if let saved = checkpoint.metadata["arch"], saved != arch.rawValue {
            throw TrainingError.checkpoint(path, "is a \(saved) checkpoint, not \(arch.rawValue); drop --arch or use a matching checkpoint")
        }
        let savedWidth = try checkpoint.metadata["width"].map { text -> Double in
            guard let value = Double(text), ChannelWidths.isValid(value) else {
                throw TrainingError.checkpoint(path, "width '\(text)' in its metadata is not a number in (0, \(ChannelWidths.maximumMultiplier)]; "
                                               + "the checkpoint is damaged or was not written by mammoseg")
            }
            return value
        }
        guard let width = width ?? savedWidth else {
            throw TrainingError.checkpoint(path, "the checkpoint does not say its width; pass --width")
        }
        // A size in MammoSeg metadata must be valid (else the file is damaged); a size the caller
        // gives (e.g. `--tile`) is checked by the caller's own message; a checkpoint without
        // metadata (a PyTorch state_dict) gets the architecture's default, never a size it cannot run.
        if let saved = checkpoint.metadata["size"] {
            guard let savedSize = Int(saved) else {
                throw TrainingError.checkpoint(path, "size '\(saved)' in its metadata is not a whole number; the checkpoint is damaged or was not written by mammoseg")
            }
            guard (try? arch.validate(inputSize: savedSize)) != nil else {
                throw TrainingError.checkpoint(path, "size \(saved) in its metadata is not usable for \(arch.rawValue) (sides must be multiples of \(arch.sizeDivisor)); the checkpoint is damaged or was not written by mammoseg")
            }
            self.size = size ?? savedSize
        } else {
            self.size = size ?? arch.defaultInputSize
        }
        model = try makeModel(arch, width: width, seed: 0)
        _ = try checkpoint.apply(to: model.parameters, strict: true)
        self.checkpoint = checkpoint
        preprocessing = try PreprocessingPolicy.fromCheckpointMetadata(checkpoint.metadata, file: path)
    }
}
