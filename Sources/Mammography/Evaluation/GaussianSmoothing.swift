import Foundation

/// Separable Gaussian blur of a row-major map. Taps reach ⌈3σ⌉ pixels; beyond the border
/// the edge pixel repeats, so a flat map stays exactly flat (every pixel sums the same
/// weights over the same value) and a peak near the edge is not darkened.
public enum GaussianSmoothing {
    /// The normalised 1-D kernel, `2·⌈3σ⌉ + 1` taps. σ ≤ 0 gives the identity `[1]`.
    public static func kernel(sigma: Double) -> [Float] {
        guard sigma > 0 else { return [1] }
        let radius = Int((3 * sigma).rounded(.up))
        let weights = (-radius...radius).map { exp(-Double($0 * $0) / (2 * sigma * sigma)) }
        let sum = weights.reduce(0, +)
        return weights.map { Float($0 / sum) }
    }

    /// `map` blurred along rows, then along columns.
    public static func smooth(_ map: [Float], width: Int, height: Int, sigma: Double) -> [Float] {
        let taps = kernel(sigma: sigma)
        guard taps.count > 1 else { return map }
        let rows = pass(map, taps: taps, length: width, lines: height, step: 1, lineStep: width)
        return pass(rows, taps: taps, length: height, lines: width, step: width, lineStep: 1)
    }

    /// Convolves each of `lines` lines of `length` samples (`step` apart; lines `lineStep` apart).
    private static func pass(_ input: [Float], taps: [Float], length: Int, lines: Int, step: Int, lineStep: Int) -> [Float] {
        let radius = taps.count / 2
        var output = [Float](repeating: 0, count: input.count)
        input.withUnsafeBufferPointer { src in
            output.withUnsafeMutableBufferPointer { dst in
                for line in 0..<lines {
                    let base = line * lineStep
                    for i in 0..<length {
                        var sum: Float = 0
                        for k in 0..<taps.count {
                            let j = min(max(i + k - radius, 0), length - 1)
                            sum += taps[k] * src[base + j * step]
                        }
                        dst[base + i * step] = sum
                    }
                }
            }
        }
        return output
    }
}
