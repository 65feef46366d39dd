import Engine

/// Transfer learning: start a network from another one's checkpoint (the seed initialises
/// its segmenters with the classifier's encoder).
///
/// Copies every checkpoint tensor whose name starts with `prefix` and whose name AND shape
/// match a tensor of `model` (weights and batch-norm running statistics), leaves the rest as
/// initialised, and reports both. Pass `prefix: "encoder."` to take only the encoder: a
/// classifier's `logits.bias` has the segmenters' shape `[2]` but not their meaning.
/// Works with MammoSeg checkpoints and plain PyTorch state_dicts saved with safetensors.
/// Throws when nothing matches (usually a different `--width`), since training would then
/// silently start from scratch.
@discardableResult
public func initialize(_ model: any SegmentationModel, from checkpointPath: String,
                       prefix: String = "") throws -> LoadReport {
    var checkpoint = try Checkpoint.load(checkpointPath)
    let outside = checkpoint.tensors.keys.filter { !$0.hasPrefix(prefix) }.sorted()
    for name in outside { checkpoint.tensors[name] = nil }
    var report = try checkpoint.apply(to: model.parameters.filter { $0.name.hasPrefix(prefix) }, strict: false)
    report.skipped += outside.map { .init(name: $0, reason: "not under '\(prefix)', the part being transferred") }
    guard !report.loaded.isEmpty else {
        let widthNote = checkpoint.metadata["width"].map { " (the checkpoint's width is \($0), the model's \(model.width))" } ?? ""
        throw EngineError.checkpoint(file: checkpointPath, reason: "no tensor matches \(model.architecture) by name and "
                                     + "shape\(widthNote); use a checkpoint of the same --width")
    }
    return report
}

extension LoadReport {
    /// For people: how many tensors were loaded, then one line per skipped tensor and why.
    public func summary(file: String) -> String {
        var lines = ["loaded \(loaded.count) tensors from \(file); skipped \(skipped.count)"]
        lines += skipped.map { "  skipped \($0.name): \($0.reason)" }
        return lines.joined(separator: "\n")
    }
}
