/// The detector stage of a phantom: a slight Gaussian blur (the focal spot and detector
/// PSF), signal-dependent Gaussian noise (Poisson-like: σ grows with √intensity), and
/// quantisation to a detector bit depth, stored in 16 bits scaled to the full range.
struct ImagingChain {
    /// PSF standard deviation, pixels (0.5–1).
    let blurSigma: Double
    /// Noise σ at full intensity, as a fraction of full scale.
    let noiseLevel: Double
    /// Detector bits (12–16).
    let bits: Int

    init(generator: inout SeededGenerator) {
        blurSigma = generator.uniform(0.5, 1.0)
        noiseLevel = generator.uniform(0.004, 0.012)
        bits = generator.int(in: 12...16)
    }

    /// `intensity` (row-major, nominally [0, 1]) → 16-bit pixels.
    func apply(_ intensity: [Float], width: Int, height: Int, generator: inout SeededGenerator) -> [UInt16] {
        let blurred = Self.gaussianBlur(intensity, width: width, height: height, sigma: blurSigma)
        let levels = Double((1 << bits) - 1)
        let toSixteen = 65535 / levels
        var out = [UInt16](repeating: 0, count: width * height)
        for index in 0..<out.count {
            let value = Double(blurred[index])
            let noisy = value + noiseLevel * (max(value, 0) + 0.02).squareRoot() * generator.gaussian()
            let quantised = (min(1, max(0, noisy)) * levels).rounded()
            out[index] = UInt16((quantised * toSixteen).rounded())
        }
        return out
    }

    /// Separable Gaussian blur, kernel radius ⌈3σ⌉, edges clamped.
    static func gaussianBlur(_ values: [Float], width: Int, height: Int, sigma: Double) -> [Float] {
        let radius = max(1, Int((3 * sigma).rounded(.up)))
        var kernel = (-radius...radius).map { Float(exp(-Double($0 * $0) / (2 * sigma * sigma))) }
        let total = kernel.reduce(0, +)
        kernel = kernel.map { $0 / total }
        var rows = [Float](repeating: 0, count: values.count)
        for y in 0..<height {
            let row = y * width
            for x in 0..<width {
                var sum: Float = 0
                for k in -radius...radius {
                    sum += kernel[k + radius] * values[row + min(width - 1, max(0, x + k))]
                }
                rows[row + x] = sum
            }
        }
        var out = [Float](repeating: 0, count: values.count)
        for y in 0..<height {
            for x in 0..<width {
                var sum: Float = 0
                for k in -radius...radius {
                    sum += kernel[k + radius] * rows[min(height - 1, max(0, y + k)) * width + x]
                }
                out[y * width + x] = sum
            }
        }
        return out
    }
}

#if canImport(Glibc)
import Engine
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
