import CDNNL
import Foundation
import Engine

/// The study's loss, computed on the host: the logits have two channels, so the
/// download is small next to the network, and plain loops keep the definition obvious.
///
/// loss = (1/P) Σ_p w(y_p)·(logsumexp(z_p) − z_p[y_p]),  P = N·H·W,
/// dz_p[c] = w(y_p)/P · (softmax(z_p)[c] − [c = y_p]),  w = 1 for class 0, positiveWeight otherwise.
extension DNNLBackend {
    public func weightedCrossEntropy(_ logits: Tensor, labels: [UInt8], positiveWeight: Float)
        throws -> (loss: Float, dLogits: Tensor) {
        let shape = logits.shape
        guard shape.count == 2 || shape.count == 4, shape[1] >= 2 else {
            throw EngineError.shapeMismatch("weightedCrossEntropy: logits \(shape) must be [N, C, H, W] or [N, C], C ≥ 2")
        }
        let (n, classes) = (shape[0], shape[1])
        let plane = shape.count == 4 ? shape[2] * shape[3] : 1
        guard labels.count == n * plane else {
            throw EngineError.shapeMismatch("weightedCrossEntropy: \(labels.count) labels for logits \(shape)")
        }
        if let bad = labels.first(where: { Int($0) >= classes }) {
            throw EngineError.invalidArgument("weightedCrossEntropy: label \(bad) out of range for \(classes) classes")
        }
        let source = try storage(of: logits, "weightedCrossEntropy")
        let z = try hostTensor(source, shape: shape).scalars
        let pixels = Float(n * plane)
        var gradient = [Float](repeating: 0, count: z.count)
        var loss: Double = 0
        for image in 0..<n {
            for pixel in 0..<plane {
                let label = Int(labels[image * plane + pixel])
                let weight: Float = label > 0 ? positiveWeight : 1
                let index = { (channel: Int) in (image * classes + channel) * plane + pixel }
                var top = -Float.infinity
                for channel in 0..<classes { top = max(top, z[index(channel)]) }
                var sum: Float = 0
                for channel in 0..<classes { sum += expf(z[index(channel)] - top) }
                loss += Double(weight * (top + logf(sum) - z[index(label)]))
                for channel in 0..<classes {
                    let probability = expf(z[index(channel)] - top) / sum
                    gradient[index(channel)] = weight / pixels * (probability - (channel == label ? 1 : 0))
                }
            }
        }
        // Hand the gradient back in the logits' own layout, ready for the last layer's backward.
        let dLogits = try converted(HostTensor(shape: shape, scalars: gradient), to: source.desc)
        return (Float(loss / Double(pixels)), tensor(dLogits))
    }
}
