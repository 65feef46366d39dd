import CDNNL
import Foundation
import Engine

/// The study's loss, computed on the host over channels-last logits: they have two
/// channels, so the data is small next to the network, and plain loops keep the definition
/// obvious. The pass is split over the backend's threads (it was a tenth of a 256²
/// training step on one core while the other waited).
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
        let logit = UnsafePointer(z.data.assumingMemoryBound(to: Float.self))
        let gradient = dLogits.data.assumingMemoryBound(to: Float.self)
        // Fixed chunks, partial sums added in chunk order: the same result on every run.
        let chunks = min(threads, max(1, pixelCount / Self.lossChunkMinimumPixels))
        var partial = [Double](repeating: 0, count: chunks)
        partial.withUnsafeMutableBufferPointer { sums in
            let sums = sums
            DispatchQueue.concurrentPerform(iterations: chunks) { chunk in
                let range = (pixelCount * chunk / chunks)..<(pixelCount * (chunk + 1) / chunks)
                sums[chunk] = classes == 2
                    ? Self.twoClassLoss(logit, labels, gradient, range, positiveWeight: positiveWeight, scale: scale)
                    : Self.loss(logit, labels, gradient, range, classes: classes, positiveWeight: positiveWeight, scale: scale)
            }
        }
        return (Float(partial.reduce(0, +) / Double(pixelCount)), tensor(dLogits))
    }

    /// Pixels per chunk below which the loss pass stays on one thread.
    static let lossChunkMinimumPixels = 16384

    /// Σ over `range` of w·CE, writing dz (general number of classes).
    private static func loss(_ logit: UnsafePointer<Float>, _ labels: [UInt8], _ gradient: UnsafeMutablePointer<Float>,
                             _ range: Range<Int>, classes: Int, positiveWeight: Float, scale: Float) -> Double {
        var loss: Double = 0
        for p in range {
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
        return loss
    }

    /// Two classes, one exponential and one logarithm per pixel: with d = z₁ − z₀ and
    /// x = d for label 0, −d for label 1, CE = softplus(x) = max(x, 0) + log1p(e^−|x|), and
    /// dz₁ = −dz₀ = w/P·(σ(d) − y), σ(d) from the same exponential.
    private static func twoClassLoss(_ logit: UnsafePointer<Float>, _ labels: [UInt8],
                                     _ gradient: UnsafeMutablePointer<Float>, _ range: Range<Int>,
                                     positiveWeight: Float, scale: Float) -> Double {
        var loss: Double = 0
        for p in range {
            let d = logit[2 * p + 1] - logit[2 * p]
            let positive = labels[p] > 0
            let weight: Float = positive ? positiveWeight : 1
            let x = positive ? -d : d
            let e = expf(-abs(x))
            loss += Double(weight * (max(x, 0) + log1pf(e)))
            // σ(x) = 1/(1 + e) for x ≥ 0, e/(1 + e) otherwise; dCE/dx = σ(x), dx/dz₁ = ±1.
            let sigmoidX = x >= 0 ? 1 / (1 + e) : e / (1 + e)
            let dz1 = weight * scale * (positive ? -sigmoidX : sigmoidX)
            gradient[2 * p + 1] = dz1
            gradient[2 * p] = -dz1
        }
        return loss
    }
}
