import CDNNL
import Foundation
import Engine

/// The study's loss, computed on the host in one pass over channels-last logits: they have
/// two channels, so the data is small next to the network, and plain loops keep the
/// definition obvious.
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
        // Pixel-major (channels-last) order puts each pixel's logits side by side; the
        // thin logits layer already produces it, so this is usually no copy at all.
        let pixelMajor: dnnl_memory_desc_t = shape.count == 4 ? try .make(shape, dnnl_acdb) : try .plain(shape)
        let z = try converted(storage(of: logits, "weightedCrossEntropy"), to: pixelMajor)
        let dLogits = allocate(pixelMajor)
        let pixelCount = n * plane
        let scale = 1 / Float(pixelCount)
        var loss: Double = 0
        let logit = z.data.assumingMemoryBound(to: Float.self)
        let gradient = dLogits.data.assumingMemoryBound(to: Float.self)
        for p in 0..<pixelCount {
            let row = logit + p * classes, dRow = gradient + p * classes
            let label = Int(labels[p])
            let weight: Float = label > 0 ? positiveWeight : 1
            var top = -Float.infinity
            for c in 0..<classes { top = max(top, row[c]) }
            var sum: Float = 0
            for c in 0..<classes {
                let e = expf(row[c] - top)
                dRow[c] = e
                sum += e
            }
            loss += Double(weight * (top + logf(sum) - row[label]))
            let factor = weight * scale / sum
            for c in 0..<classes { dRow[c] *= factor }
            dRow[label] -= weight * scale
        }
        return (Float(loss / Double(pixelCount)), tensor(dLogits))
    }
}
