import Engine

/// An exponential moving average of a network's weights (Polyak averaging, as timm's
/// `ModelEmaV2`): after every optimiser step, avg ← d·avg + (1 − d)·θ for weights, with
/// d = min(decay, (1 + t)/(10 + t)) at update t so the first updates are not dominated by the
/// random initialisation; buffers (batch-norm statistics) are copied. Evaluating with the
/// average smooths out the last steps' noise.
public final class WeightAverage {
    public let decay: Double
    public private(set) var updates = 0
    private var values: [String: [Float]] = [:]

    /// Checkpoint tensors carry the average under this prefix (inside the optimiser's namespace,
    /// so inference checkpoints and loaders of model tensors never see them).
    public static let statePrefix = Adam.statePrefix + "ema."
    public static let updatesStateName = Adam.statePrefix + "ema_updates"

    public init(decay: Double, parameters: [Parameter]) {
        self.decay = decay
        for p in parameters { values[p.name] = p.value.scalars }
    }

    public func update(_ parameters: [Parameter]) {
        let t = Double(updates)
        let d = Float(min(decay, (1 + t) / (10 + t)))
        updates += 1
        for p in parameters {
            guard var average = values[p.name], average.count == p.value.scalars.count else {
                values[p.name] = p.value.scalars; continue
            }
            if p.kind == .buffer {
                average = p.value.scalars
            } else {
                p.value.scalars.withUnsafeBufferPointer { theta in
                    for i in 0..<average.count { average[i] = d * average[i] + (1 - d) * theta[i] }
                }
            }
            values[p.name] = average
        }
    }

    /// Exchanges the parameters' values with the average (call again to swap back).
    public func swap(_ parameters: [Parameter]) {
        for p in parameters {
            guard let average = values[p.name], average.count == p.value.scalars.count else { continue }
            values[p.name] = p.value.scalars
            p.value = HostTensor(shape: p.shape, scalars: average)
        }
    }

    /// The average as checkpoint tensors.
    public func stateTensors(_ parameters: [Parameter]) -> [String: HostTensor] {
        var tensors = [Self.updatesStateName: HostTensor(shape: [1], scalars: [Float(updates)])]
        for p in parameters { if let v = values[p.name] { tensors[Self.statePrefix + p.name] = HostTensor(shape: p.shape, scalars: v) } }
        return tensors
    }

    /// Restores `stateTensors`; missing tensors (a run saved without an average) leave the current values.
    public func load(_ tensors: [String: HostTensor], parameters: [Parameter]) {
        if let count = tensors[Self.updatesStateName]?.scalars.first { updates = Int(count) }
        for p in parameters {
            if let t = tensors[Self.statePrefix + p.name], t.shape == p.shape { values[p.name] = t.scalars }
        }
    }
}
