import Engine

/// A network rebuilt from a checkpoint: MammoSeg checkpoints say their architecture,
/// size and width in metadata; for others (e.g. a PyTorch state_dict) the caller supplies them.
public struct LoadedModel {
    public let model: any SegmentationModel
    public let size: Int
    public let checkpoint: Checkpoint

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
        let savedSize = try checkpoint.metadata["size"].map { text -> Int in
            guard let value = Int(text) else {
                throw TrainingError.checkpoint(path, "size '\(text)' in its metadata is not a whole number; "
                                               + "the checkpoint is damaged or was not written by mammoseg")
            }
            return value
        }
        self.size = size ?? savedSize ?? 256
        do {
            try arch.validate(inputSize: self.size)
        } catch {
            throw TrainingError.checkpoint(path, "size \(self.size) in its metadata is not usable (\(error)); the checkpoint is damaged or was not written by mammoseg")
        }
        model = try makeModel(arch, width: width, seed: 0)
        _ = try checkpoint.apply(to: model.parameters, strict: true)
        self.checkpoint = checkpoint
    }
}
