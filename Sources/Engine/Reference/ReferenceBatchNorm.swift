/// Batch normalisation over N, H, W per channel:
///   y = γ·(x − μ)/√(σ² + ε) + β, σ² the biased variance (1/NHW), optionally followed by ReLU.
/// Backward (x̂ = (x − μ)/√(σ² + ε), M = NHW, dy already masked by the ReLU when fused):
///   dβ = Σ dy, dγ = Σ dy·x̂, dx = γ/(M√(σ² + ε))·(M·dy − dβ − x̂·dγ)
extension ReferenceBackend {
    func channelStatistics(_ x: [Float], _ shape: [Int]) -> (mean: [Float], variance: [Float]) {
        let (n, c, h, w) = nchw(shape)
        let m = Float(n * h * w)
        var mean = [Float](repeating: 0, count: c), variance = [Float](repeating: 0, count: c)
        for ch in 0..<c {
            var sum: Double = 0
            for b in 0..<n { for i in 0..<(h * w) { sum += Double(x[(b * c + ch) * h * w + i]) } }
            let mu = sum / Double(m)
            var squares: Double = 0
            for b in 0..<n { for i in 0..<(h * w) {
                let d = Double(x[(b * c + ch) * h * w + i]) - mu
                squares += d * d
            } }
            mean[ch] = Float(mu); variance[ch] = Float(squares / Double(m))
        }
        return (mean, variance)
    }

    func normalize(_ x: [Float], _ shape: [Int], gamma: HostTensor, beta: HostTensor, mean: [Float], variance: [Float],
                   epsilon: Float, relu: Bool) -> [Float] {
        let (n, c, h, w) = nchw(shape)
        var y = x
        for b in 0..<n { for ch in 0..<c {
            let scale = gamma.scalars[ch] / (variance[ch] + epsilon).squareRoot()
            for i in 0..<(h * w) {
                let k = (b * c + ch) * h * w + i
                let v = (x[k] - mean[ch]) * scale + beta.scalars[ch]
                y[k] = relu ? max(0, v) : v
            }
        } }
        return y
    }

    public func batchNormTraining(_ x: Tensor, gamma: HostTensor, beta: HostTensor, epsilon: Float,
                                  fuseReLU: Bool) throws -> (y: Tensor, mean: HostTensor, variance: HostTensor, saved: SavedState) {
        guard x.shape.count == 4, gamma.count == x.shape[1], beta.count == x.shape[1] else {
            throw EngineError.shapeMismatch("batchNorm: input \(x.shape) vs γ \(gamma.shape), β \(beta.shape)")
        }
        let xd = data(x)
        let (mean, variance) = channelStatistics(xd, x.shape)
        let y = normalize(xd, x.shape, gamma: gamma, beta: beta, mean: mean, variance: variance, epsilon: epsilon, relu: fuseReLU)
        let c = x.shape[1]
        return (make(x.shape, y), HostTensor(shape: [c], scalars: mean), HostTensor(shape: [c], scalars: variance),
                SavedState(Storage(mean + variance)))
    }

    public func batchNormBackward(_ dy: Tensor, x: Tensor, y: Tensor, gamma: HostTensor, beta: HostTensor, epsilon: Float,
                                  fuseReLU: Bool, saved: SavedState) throws -> (dx: Tensor, dGamma: HostTensor, dBeta: HostTensor) {
        guard let stats = saved.value as? Storage else {
            throw EngineError.invalidArgument("batchNormBackward: saved state is not from this backend")
        }
        let (n, c, h, w) = nchw(x.shape)
        let mean = Array(stats.data[0..<c]), variance = Array(stats.data[c..<(2 * c)])
        let xd = data(x), yd = data(y)
        var g = data(dy)
        if fuseReLU { for k in 0..<g.count where yd[k] <= 0 { g[k] = 0 } }
        let m = Float(n * h * w)
        var dGamma = [Float](repeating: 0, count: c), dBeta = [Float](repeating: 0, count: c)
        var dx = [Float](repeating: 0, count: xd.count)
        for ch in 0..<c {
            let invStd = 1 / (variance[ch] + epsilon).squareRoot()
            var sumDy: Double = 0, sumDyXhat: Double = 0
            for b in 0..<n { for i in 0..<(h * w) {
                let k = (b * c + ch) * h * w + i
                sumDy += Double(g[k]); sumDyXhat += Double(g[k] * (xd[k] - mean[ch]) * invStd)
            } }
            dBeta[ch] = Float(sumDy); dGamma[ch] = Float(sumDyXhat)
            for b in 0..<n { for i in 0..<(h * w) {
                let k = (b * c + ch) * h * w + i
                let xhat = (xd[k] - mean[ch]) * invStd
                dx[k] = gamma.scalars[ch] * invStd / m * (m * g[k] - dBeta[ch] - xhat * dGamma[ch])
            } }
        }
        return (make(x.shape, dx), HostTensor(shape: [c], scalars: dGamma), HostTensor(shape: [c], scalars: dBeta))
    }

    public func batchNormInference(_ x: Tensor, gamma: HostTensor, beta: HostTensor, mean: HostTensor, variance: HostTensor,
                                   epsilon: Float, fuseReLU: Bool) throws -> Tensor {
        guard x.shape.count == 4, gamma.count == x.shape[1], mean.count == x.shape[1], variance.count == x.shape[1] else {
            throw EngineError.shapeMismatch("batchNorm: input \(x.shape) vs statistics \(mean.shape)")
        }
        return make(x.shape, normalize(data(x), x.shape, gamma: gamma, beta: beta, mean: mean.scalars,
                                       variance: variance.scalars, epsilon: epsilon, relu: fuseReLU))
    }
}
