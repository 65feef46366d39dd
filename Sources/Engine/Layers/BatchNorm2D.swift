/// Batch normalisation over `[N, C, H, W]` per channel, PyTorch semantics with the
/// study's constants: ε = 1e-5, momentum 0.01 (running = 0.99·running + 0.01·batch),
/// running variance updated with the unbiased batch variance (×M/(M − 1), M = N·H·W).
/// Tensors: `<name>.weight` (γ), `<name>.bias` (β), `<name>.running_mean`, `<name>.running_var`.
///
/// Training mode uses batch statistics and updates the running ones; inference mode uses
/// the running ones. A frozen layer (γ not trainable) always runs in inference mode, so
/// training with a frozen encoder leaves every encoder tensor unchanged (PyTorch users
/// get the same by putting the frozen part in `eval()`).
public final class BatchNorm2D: Layer {
    public let gamma: Parameter
    public let beta: Parameter
    public let runningMean: Parameter
    public let runningVariance: Parameter
    public let epsilon: Float = 1e-5
    public let momentum: Float = 0.01
    /// Applies ReLU to the output (fused into the backend's batch-norm call).
    public let appliesReLU: Bool

    public init(name: String, channels: Int, appliesReLU: Bool = false) {
        gamma = Parameter(name: join(name, "weight"), value: HostTensor(repeating: 1, shape: [channels]))
        beta = Parameter(name: join(name, "bias"), value: HostTensor(zeros: [channels]))
        runningMean = Parameter(name: join(name, "running_mean"), value: HostTensor(zeros: [channels]), kind: .buffer)
        runningVariance = Parameter(name: join(name, "running_var"), value: HostTensor(repeating: 1, shape: [channels]),
                                    kind: .buffer)
        self.appliesReLU = appliesReLU
    }

    public var parameters: [Parameter] { [gamma, beta, runningMean, runningVariance] }

    public func callAsFunction(_ x: Variable, _ ctx: Context) throws -> Variable {
        let b = ctx.backend
        guard ctx.isTraining, gamma.isTrainable || beta.isTrainable || x.requiresGradient else {
            let y = try b.batchNormInference(x.value, gamma: gamma.value, beta: beta.value, mean: runningMean.value,
                                             variance: runningVariance.value, epsilon: epsilon, fuseReLU: appliesReLU)
            return Variable(y, requiresGradient: false)
        }
        if let replicas = ctx.batchNormReplicas, replicas.count > 1 {
            return try synchronizedTraining(x, ctx, replicas: replicas)
        }
        let r = try b.batchNormTraining(x.value, gamma: gamma.value, beta: beta.value, epsilon: epsilon, fuseReLU: appliesReLU)
        updateRunningStatistics(mean: r.mean, biasedVariance: r.variance, count: x.shape[0] * x.shape[2] * x.shape[3])
        let (gamma, beta, epsilon, relu) = (self.gamma, self.beta, self.epsilon, appliesReLU)
        return Op.output(r.y, ctx, inputs: [x], parameters: [gamma, beta]) { dy in
            let g = try b.batchNormBackward(dy, x: x.value, y: r.y, gamma: gamma.value, beta: beta.value, epsilon: epsilon,
                                            fuseReLU: relu, saved: r.saved)
            if gamma.isTrainable { gamma.accumulateGradient(g.dGamma) }
            if beta.isTrainable { beta.accumulateGradient(g.dBeta) }
            if x.requiresGradient { try x.accumulate(g.dx, b) }
        }
    }

    func updateRunningStatistics(mean: HostTensor, biasedVariance: HostTensor, count: Int) {
        let unbias = count > 1 ? Float(count) / Float(count - 1) : 1
        for c in 0..<mean.count {
            runningMean.value.scalars[c] = (1 - momentum) * runningMean.value.scalars[c] + momentum * mean.scalars[c]
            runningVariance.value.scalars[c] = (1 - momentum) * runningVariance.value.scalars[c]
                + momentum * biasedVariance.scalars[c] * unbias
        }
    }
}
