import Foundation

/// Batch norm over the global batch of a data-parallel job (PyTorch's `SyncBatchNorm`): the
/// mean and variance are per-channel sums all-reduced over the replicas, and backward
/// all-reduces Σdy and Σdy·x̂ so each replica's dx is the single-process batch's. The
/// arithmetic runs on host copies (the backend stays primitive: it only normalises with
/// given statistics), in Double sums.
extension BatchNorm2D {
    func synchronizedTraining(_ x: Variable, _ ctx: Context, replicas: ReplicaGroup) throws -> Variable {
        let b = ctx.backend
        let host = try b.download(x.value)
        let (n, channels, plane) = (host.shape[0], host.shape[1], host.shape[2] * host.shape[3])
        // [local count, Σx per channel, Σx² per channel], summed over replicas.
        var sums = [Double](repeating: 0, count: 1 + 2 * channels)
        sums[0] = Double(n * plane)
        host.scalars.withUnsafeBufferPointer { v in
            for c in 0..<channels {
                var s = 0.0, s2 = 0.0
                for image in 0..<n {
                    let base = (image * channels + c) * plane
                    for i in base..<(base + plane) { let e = Double(v[i]); s += e; s2 += e * e }
                }
                sums[1 + c] = s; sums[1 + channels + c] = s2
            }
        }
        try replicas.sum(&sums, "batch-norm statistics of \(gamma.name)")
        let total = sums[0]
        let mean = (0..<channels).map { sums[1 + $0] / total }
        let variance = (0..<channels).map { max(0, sums[1 + channels + $0] / total - mean[$0] * mean[$0]) }
        let meanTensor = HostTensor(shape: [channels], scalars: mean.map(Float.init))
        let varianceTensor = HostTensor(shape: [channels], scalars: variance.map(Float.init))
        let y = try b.batchNormInference(x.value, gamma: gamma.value, beta: beta.value, mean: meanTensor,
                                         variance: varianceTensor, epsilon: epsilon, fuseReLU: appliesReLU)
        updateRunningStatistics(mean: meanTensor, biasedVariance: varianceTensor, count: Int(total))
        let (gamma, beta, epsilon, relu) = (self.gamma, self.beta, Double(self.epsilon), appliesReLU)
        return Op.output(y, ctx, inputs: [x], parameters: [gamma, beta]) { dy in
            let upstream = relu ? try b.reluBackward(dy, y: y) : dy
            let g = try b.download(upstream)
            let inverseStd = variance.map { 1 / ($0 + epsilon).squareRoot() }
            // Local Σdy and Σdy·x̂ per channel: this replica's dβ and dγ.
            var sums = [Double](repeating: 0, count: 2 * channels)
            g.scalars.withUnsafeBufferPointer { d in
                host.scalars.withUnsafeBufferPointer { v in
                    for c in 0..<channels {
                        var sd = 0.0, sdx = 0.0
                        for image in 0..<n {
                            let base = (image * channels + c) * plane
                            for i in base..<(base + plane) {
                                let e = Double(d[i]); sd += e; sdx += e * (Double(v[i]) - mean[c]) * inverseStd[c]
                            }
                        }
                        sums[c] = sd; sums[channels + c] = sdx
                    }
                }
            }
            if gamma.isTrainable { gamma.accumulateGradient(HostTensor(shape: [channels], scalars: (0..<channels).map { Float(sums[channels + $0]) })) }
            if beta.isTrainable { beta.accumulateGradient(HostTensor(shape: [channels], scalars: (0..<channels).map { Float(sums[$0]) })) }
            guard x.requiresGradient else { return }
            try replicas.sum(&sums, "batch-norm gradients of \(gamma.name)")
            // dx = γ/σ · (dy − Σdy/M − x̂·Σdy·x̂/M), sums over the global batch.
            var dx = [Float](repeating: 0, count: host.count)
            g.scalars.withUnsafeBufferPointer { d in
                host.scalars.withUnsafeBufferPointer { v in
                    for c in 0..<channels {
                        let scale = Double(gamma.value.scalars[c]) * inverseStd[c]
                        let meanDy = sums[c] / total, meanDyXhat = sums[channels + c] / total
                        for image in 0..<n {
                            let base = (image * channels + c) * plane
                            for i in base..<(base + plane) {
                                let xhat = (Double(v[i]) - mean[c]) * inverseStd[c]
                                dx[i] = Float(scale * (Double(d[i]) - meanDy - xhat * meanDyXhat))
                            }
                        }
                    }
                }
            }
            try x.accumulate(b.upload(HostTensor(shape: host.shape, scalars: dx)), b)
        }
    }
}
