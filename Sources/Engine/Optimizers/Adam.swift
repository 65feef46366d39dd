import Foundation

/// Adam with the semantics of `torch.optim.Adam` (amsgrad and maximize off). Per element, at step t:
///
///     g ← grad + weightDecay·θ                 (PyTorch's L2 `weight_decay`; skipped when 0)
///     m ← m + (1 − β1)·(g − m)                 (exp_avg; PyTorch's lerp)
///     v ← β2·v + (1 − β2)·g²                   (exp_avg_sq)
///     θ ← θ − lr/(1 − β1ᵗ) · m / (√v / √(1 − β2ᵗ) + ε)
///
/// β1 and β2 are Doubles, like PyTorch's Python floats: 1 − β is formed in Double and only then
/// rounded to Float (1 − Float(0.999) is off by 1.3e-5 relative); bias corrections are Double.
/// Frozen parameters (`isTrainable == false`) and buffers are never touched.
///
/// State, as checkpoint tensors (see `stateTensors()`):
///     optimizer.step                 [1]          number of steps taken
///     optimizer.<name>.exp_avg       shape of θ   m
///     optimizer.<name>.exp_avg_sq    shape of θ   v
/// One step count serves all parameters; a parameter trained for the first time later (after
/// unfreezing) starts from zero moments but with the shared bias correction, whereas PyTorch
/// counts steps per parameter. Make a new `Adam` when the set of trained parameters changes.
public final class Adam {
    public var learningRate: Float
    public let beta1: Double
    public let beta2: Double
    public let epsilon: Float
    public let weightDecay: Float
    /// Steps taken so far (t of the last step).
    public private(set) var step: Int = 0

    /// m and v of one parameter, in a class so both can be mutated in place side by side.
    private final class Moments {
        let shape: [Int]
        var expAvg: [Float]
        var expAvgSq: [Float]
        init(shape: [Int]) {
            self.shape = shape
            expAvg = [Float](repeating: 0, count: shape.reduce(1, *))
            expAvgSq = expAvg
        }
    }

    private var moments: [String: Moments] = [:]

    public static let statePrefix = "optimizer."
    public static let stepStateName = "optimizer.step"

    public init(learningRate: Float = 1e-3, beta1: Double = 0.9, beta2: Double = 0.999,
                epsilon: Float = 1e-8, weightDecay: Float = 0) {
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
        self.weightDecay = weightDecay
    }

    /// Whether `update` changes this parameter.
    public static func updates(_ parameter: Parameter) -> Bool {
        parameter.kind == .weight && parameter.isTrainable
    }

    // MARK: Step

    /// One Adam step on every trainable parameter from its accumulated gradient, then
    /// clears the gradients (of trainable and frozen weights alike).
    public func update(_ parameters: [Parameter]) {
        step += 1
        let t = Double(step)
        let stepSize = Float(Double(learningRate) / (1 - pow(beta1, t)))
        let biasCorrection2Root = Float((1 - pow(beta2, t)).squareRoot())
        for parameter in parameters where Self.updates(parameter) {
            guard parameter.gradient.shape == parameter.shape else {
                // A programming error, not bad input; -Ounchecked would otherwise write out of bounds.
                fatalError("Adam: gradient of \(parameter.name) has shape \(parameter.gradient.shape), value \(parameter.shape)")
            }
            let state: Moments
            if let existing = moments[parameter.name], existing.shape == parameter.shape {
                state = existing
            } else {
                state = Moments(shape: parameter.shape)
                moments[parameter.name] = state
            }
            update(parameter, state, stepSize: stepSize, biasCorrection2Root: biasCorrection2Root)
        }
        zeroGradients(parameters)
    }

    /// The element loop; unchecked buffer pointers keep it vectorisable. Large tensors are
    /// split over the cores (each element's update is independent, so the result does not
    /// depend on the split): a single-core Adam was 3 % of a 256² training step with the
    /// other core idle.
    private func update(_ parameter: Parameter, _ state: Moments, stepSize: Float, biasCorrection2Root: Float) {
        let oneMinusBeta1 = Float(1 - beta1), beta2 = Float(beta2), oneMinusBeta2 = Float(1 - self.beta2)
        let epsilon = epsilon, weightDecay = weightDecay, decays = weightDecay != 0
        parameter.value.scalars.withUnsafeMutableBufferPointer { theta in
            parameter.gradient.scalars.withUnsafeBufferPointer { grad in
                state.expAvg.withUnsafeMutableBufferPointer { m in
                    state.expAvgSq.withUnsafeMutableBufferPointer { v in
                        let (theta, grad, m, v) = (theta, grad, m, v)
                        let count = theta.count
                        let chunks = min(Self.cores, max(1, count / Self.chunkMinimumElements))
                        DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                            for i in (count * chunk / chunks) ..< (count * (chunk + 1) / chunks) {
                                let g = decays ? grad[i] + weightDecay * theta[i] : grad[i]
                                m[i] += oneMinusBeta1 * (g - m[i])
                                v[i] = v[i] * beta2 + oneMinusBeta2 * g * g
                                let denominator = v[i].squareRoot() / biasCorrection2Root + epsilon
                                theta[i] -= stepSize * (m[i] / denominator)
                            }
                        }
                    }
                }
            }
        }
    }

    private static let cores = ProcessInfo.processInfo.activeProcessorCount
    /// Elements per chunk below which a tensor is updated on one thread.
    private static let chunkMinimumElements = 32768

    /// Clears the gradients of all weights (buffers have none to clear).
    public func zeroGradients(_ parameters: [Parameter]) {
        for parameter in parameters where parameter.kind == .weight {
            parameter.zeroGradient()
        }
    }

    // MARK: State

    /// The optimizer state as named tensors (names above), for a checkpoint.
    public func stateTensors() -> [String: HostTensor] {
        var tensors = [Self.stepStateName: HostTensor(shape: [1], scalars: [Float(step)])]
        for (name, state) in moments {
            tensors["\(Self.statePrefix)\(name).exp_avg"] = HostTensor(shape: state.shape, scalars: state.expAvg)
            tensors["\(Self.statePrefix)\(name).exp_avg_sq"] = HostTensor(shape: state.shape, scalars: state.expAvgSq)
        }
        return tensors
    }

    /// "optimizer.<p>.exp_avg" or "optimizer.<p>.exp_avg_sq" → "<p>".
    private static func parameterName(ofState name: String) -> String? {
        guard name.hasPrefix(statePrefix) else { return nil }
        for suffix in [".exp_avg_sq", ".exp_avg"] where name.hasSuffix(suffix) {
            return String(name.dropFirst(statePrefix.count).dropLast(suffix.count))
        }
        return nil
    }

    /// Restores state written by `stateTensors()` (names with the `optimizer.` prefix).
    /// Moments must match a weight by name and shape (frozen weights keep theirs, as in
    /// PyTorch, for when they are unfrozen); weights without saved moments start from zero.
    /// Errors name `file` and the tensor; on error the optimizer is unchanged.
    public func loadState(_ tensors: [String: HostTensor], parameters: [Parameter], file: String) throws {
        func failure(_ reason: String) -> EngineError { .checkpoint(file: file, reason: reason) }
        guard let stepTensor = tensors[Self.stepStateName] else {
            throw failure("no \(Self.stepStateName) tensor, so no optimizer state; resume from a training checkpoint")
        }
        guard stepTensor.count == 1, let savedStep = Int(exactly: stepTensor.scalars[0]), savedStep >= 0 else {
            throw failure("\(Self.stepStateName) must hold one non-negative whole number; the checkpoint is damaged")
        }
        let weights = Dictionary(parameters.filter { $0.kind == .weight }.map { ($0.name, $0) },
                                 uniquingKeysWith: { first, _ in first })
        var restored: [String: Moments] = [:]
        for (name, tensor) in tensors.sorted(by: { $0.key < $1.key }) where name != Self.stepStateName {
            guard let parameterName = Self.parameterName(ofState: name) else {
                throw failure("unexpected optimizer tensor '\(name)'; the checkpoint was not written by this version")
            }
            guard let parameter = weights[parameterName] else {
                throw failure("optimizer tensor '\(name)' belongs to no weight of the model; check --arch")
            }
            guard tensor.shape == parameter.shape else {
                throw failure("optimizer tensor '\(name)' has shape \(tensor.shape) but parameter '\(parameterName)' "
                              + "has \(parameter.shape); check --arch and --width")
            }
            let state = restored[parameterName] ?? Moments(shape: parameter.shape)
            if name.hasSuffix(".exp_avg_sq") { state.expAvgSq = tensor.scalars } else { state.expAvg = tensor.scalars }
            restored[parameterName] = state
        }
        for (name, _) in restored {
            for suffix in [".exp_avg", ".exp_avg_sq"] where tensors["\(Self.statePrefix)\(name)\(suffix)"] == nil {
                throw failure("optimizer tensor '\(Self.statePrefix)\(name)\(suffix)' is missing; the checkpoint is damaged")
            }
        }
        step = savedStep
        moments = restored
    }
}
