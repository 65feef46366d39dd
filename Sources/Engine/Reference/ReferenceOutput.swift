import Foundation

/// Softmax over channels and the study's weighted cross-entropy:
///   loss = (1/P)·Σ_p w(y_p)·(log Σ_c e^{z_pc} − z_{p,y_p}),  P = N·H·W
///   ∂loss/∂z_pc = w(y_p)/P·(softmax_pc − [c = y_p])
extension ReferenceBackend {
    public func softmax(_ x: Tensor) throws -> Tensor {
        let (n, c, h, w) = nchw(x.shape)
        let xd = data(x)
        var y = xd
        for b in 0..<n { for p in 0..<(h * w) {
            var top = -Float.infinity
            for ch in 0..<c { top = max(top, xd[(b * c + ch) * h * w + p]) }
            var sum: Float = 0
            for ch in 0..<c { let e = exp(xd[(b * c + ch) * h * w + p] - top); y[(b * c + ch) * h * w + p] = e; sum += e }
            for ch in 0..<c { y[(b * c + ch) * h * w + p] /= sum }
        } }
        return make(x.shape, y)
    }

    public func weightedCrossEntropy(_ logits: Tensor, labels: [UInt8], positiveWeight: Float) throws -> (loss: Float, dLogits: Tensor) {
        let (n, c, h, w) = nchw(logits.shape)
        guard labels.count == n * h * w else {
            throw EngineError.shapeMismatch("weightedCrossEntropy: \(labels.count) labels for logits \(logits.shape)")
        }
        if let bad = labels.first(where: { Int($0) >= c }) {
            throw EngineError.invalidArgument("weightedCrossEntropy: label \(bad) out of range for \(c) classes")
        }
        let z = data(logits)
        let probabilities = data(try softmax(logits))
        let pixels = Float(n * h * w)
        var loss: Double = 0
        var grad = [Float](repeating: 0, count: z.count)
        for b in 0..<n { for p in 0..<(h * w) {
            let label = Int(labels[b * h * w + p])
            let weight: Float = label > 0 ? positiveWeight : 1
            var top = -Float.infinity
            for ch in 0..<c { top = max(top, z[(b * c + ch) * h * w + p]) }
            var sum: Float = 0
            for ch in 0..<c { sum += exp(z[(b * c + ch) * h * w + p] - top) }
            let logSumExp = top + log(sum)
            loss += Double(weight * (logSumExp - z[(b * c + label) * h * w + p]))
            for ch in 0..<c {
                let k = (b * c + ch) * h * w + p
                grad[k] = weight / pixels * (probabilities[k] - (ch == label ? 1 : 0))
            }
        } }
        return (Float(loss / Double(pixels)), make(logits.shape, grad))
    }
}
