/// A MammoSeg checkpoint: a safetensors file holding
///
///     <name>                        model tensors, names and shapes exactly as the state_dict of
///                                   `reference/models.py` (incl. batch-norm running_mean/running_var,
///                                   without num_batches_tracked)
///     optimizer.step, optimizer.<name>.exp_avg, optimizer.<name>.exp_avg_sq
///                                   Adam state, in training checkpoints only
///     __metadata__                  format = "mammoseg-checkpoint", format_version = "1",
///                                   arch, size, width, plus free keys (epoch, ...)
///
/// Loading also accepts a plain PyTorch state_dict saved with safetensors (no `format` key;
/// integer tensors such as num_batches_tracked are ignored), so reference weights can be used.
public struct Checkpoint: Sendable {
    public static let format = "mammoseg-checkpoint"
    public static let formatVersion = "1"
    /// Metadata keys `save` requires besides the two format keys it sets itself.
    public static let requiredMetadata = ["arch", "size", "width"]

    /// The file this checkpoint was read from; names it in errors.
    public var file: String
    /// Model tensors by state_dict name.
    public var tensors: [String: HostTensor]
    /// Optimizer tensors by full name (with the `optimizer.` prefix); empty for inference checkpoints.
    public var optimizerState: [String: HostTensor]
    public var metadata: [String: String]

    public init(file: String, tensors: [String: HostTensor], optimizerState: [String: HostTensor] = [:],
                metadata: [String: String]) {
        self.file = file
        self.tensors = tensors
        self.optimizerState = optimizerState
        self.metadata = metadata
    }

    /// The architecture name (`--arch`) recorded when saving, if any.
    public var architecture: String? { metadata["arch"] }

    // MARK: Saving

    /// Writes `parameters` (weights and buffers), the optimizer state when given, and
    /// `metadata` (which must hold arch, size and width) atomically to `path`.
    /// `trainingState`: further tensors a resumed run needs (named under `optimizer.`, so they
    /// travel with the optimiser state and never reach a model).
    public static func save(parameters: [Parameter], optimizer: Adam?, metadata: [String: String],
                            to path: String, trainingState: [String: HostTensor] = [:]) throws {
        let missing = requiredMetadata.filter { metadata[$0] == nil }
        guard missing.isEmpty else {
            throw EngineError.checkpoint(file: path, reason: "metadata lacks \(missing.joined(separator: ", ")); "
                                                             + "pass arch, size and width when saving")
        }
        var tensors: [String: HostTensor] = [:]
        for parameter in parameters {
            guard !parameter.name.hasPrefix(Adam.statePrefix), tensors[parameter.name] == nil else {
                throw EngineError.checkpoint(file: path, reason: "parameter name '\(parameter.name)' is used twice or "
                                                                 + "reserved for the optimizer; rename the parameter")
            }
            tensors[parameter.name] = parameter.value
        }
        if let optimizer {
            tensors.merge(optimizer.stateTensors()) { model, _ in model }
        }
        for (name, tensor) in trainingState {
            guard name.hasPrefix(Adam.statePrefix), tensors[name] == nil else {
                throw EngineError.checkpoint(file: path, reason: "training state '\(name)' must be named under "
                                                                 + "'\(Adam.statePrefix)' and not clash; rename it")
            }
            tensors[name] = tensor
        }
        var fileMetadata = metadata
        fileMetadata["format"] = format
        fileMetadata["format_version"] = formatVersion
        try SafeTensorsFile(tensors: tensors, metadata: fileMetadata).write(to: path)
    }

    // MARK: Loading

    public static func load(_ path: String) throws -> Checkpoint {
        let contents = try SafeTensorsFile.read(path: path, skippingNonFloat: true)
        let metadata = contents.metadata
        if let found = metadata["format"], found != format {
            throw EngineError.checkpoint(file: path, reason: "metadata format is '\(found)', not '\(format)'; "
                                                             + "pass a checkpoint written by mammoseg")
        }
        if let version = metadata["format_version"], metadata["format"] != nil, version != formatVersion {
            throw EngineError.checkpoint(file: path, reason: "format_version \(version) is not one this mammoseg "
                                                             + "reads (\(formatVersion)); use a matching mammoseg version")
        }
        var model: [String: HostTensor] = [:]
        var optimizer: [String: HostTensor] = [:]
        for (name, tensor) in contents.tensors {
            if name.hasPrefix(Adam.statePrefix) { optimizer[name] = tensor } else { model[name] = tensor }
        }
        return Checkpoint(file: path, tensors: model, optimizerState: optimizer, metadata: metadata)
    }

    // MARK: Applying

    /// Copies the checkpoint's tensors into the parameters with the same name and shape.
    ///
    /// Strict (resuming, evaluating): every parameter must be found with its shape and every
    /// model tensor must have a parameter, else nothing is changed and the error names the file
    /// and the first offending tensor. Not strict (transfer learning, e.g. a classifier's
    /// encoder into a segmenter): whatever matches is loaded, the rest is reported as skipped.
    @discardableResult
    public func apply(to parameters: [Parameter], strict: Bool) throws -> LoadReport {
        var report = LoadReport()
        var matches: [(Parameter, HostTensor)] = []
        var parameterNames = Set<String>()
        for parameter in parameters {
            parameterNames.insert(parameter.name)
            guard let tensor = tensors[parameter.name] else {
                report.skipped.append(.init(name: parameter.name, reason: "missing from the checkpoint"))
                continue
            }
            guard tensor.shape == parameter.shape else {
                report.skipped.append(.init(name: parameter.name,
                                            reason: "shape \(tensor.shape) in the checkpoint, \(parameter.shape) in the model"))
                continue
            }
            matches.append((parameter, tensor))
        }
        for name in tensors.keys.sorted() where !parameterNames.contains(name) {
            report.skipped.append(.init(name: name, reason: "not in the model"))
        }
        if strict, let first = report.skipped.first {
            let others = report.skipped.count - 1
            let more = others > 0 ? " (and \(others) more mismatches)" : ""
            throw EngineError.checkpoint(file: file, reason: "tensor '\(first.name)': \(first.reason)\(more); "
                                                             + "check that --arch and --width match the checkpoint")
        }
        for (parameter, tensor) in matches {
            parameter.value = tensor
            report.loaded.append(parameter.name)
        }
        return report
    }

    /// Restores the Adam state saved with the checkpoint (see `Adam.loadState`).
    public func restore(_ optimizer: Adam, parameters: [Parameter]) throws {
        try optimizer.loadState(optimizerState, parameters: parameters, file: file)
    }
}

/// What `Checkpoint.apply` did: tensors loaded, and tensors skipped with the reason.
public struct LoadReport: Equatable, Sendable {
    public struct Skipped: Equatable, Sendable {
        public let name: String
        public let reason: String

        public init(name: String, reason: String) {
            self.name = name
            self.reason = reason
        }
    }

    public var loaded: [String] = []
    public var skipped: [Skipped] = []

    public init(loaded: [String] = [], skipped: [Skipped] = []) {
        self.loaded = loaded
        self.skipped = skipped
    }
}
