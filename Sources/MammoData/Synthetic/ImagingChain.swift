import Engine
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
/// The acquisition and display of a phantom: transmitted intensity exp(−attenuation), a
/// slight Gaussian blur (focal spot and detector PSF, σ 0.5–1 px), Poisson-like quantum noise
/// plus electronic noise, the log transform back to attenuation, a sigmoid display LUT centred
/// on the breast (dense = bright, air = 0), and quantisation to 12–16 detector bits, stored
/// in 16 bits scaled to the full range.
struct ImagingChain {
    /// PSF standard deviation, pixels.
    let blurSigma: Double
    /// Photons per pixel without attenuation (quantum noise σ/I = 1/√(photons·I)).
    let photons: Double
    /// Electronic noise, as a fraction of the unattenuated intensity.
    let electronicNoise: Double
    /// LUT width, in units of the full-thickness gland contrast.
    let lutWidth: Double
    /// Detector bits (12–16).
    let bits: Int

    init(generator: inout SeededGenerator) {
        blurSigma = generator.uniform(0.5, 1.0)
        photons = generator.uniform(3e4, 3e5)
        electronicNoise = generator.uniform(1e-5, 5e-5)
        lutWidth = generator.uniform(0.4, 0.6)
        bits = generator.int(in: 12...16)
    }

    /// Attenuation (row-major) → displayed values in [0, 1]. `interior` marks full-thickness
    /// breast pixels (the LUT's centre is their mean); `glandContrast` is the attenuation
    /// difference between full-thickness gland and fat (the LUT's width scales with it).
    func display(_ attenuation: [Float], interior: [Bool], glandContrast: Double, width: Int, height: Int,
                 generator: inout SeededGenerator) -> [Float] {
        var intensity = attenuation.map { exp(-$0) }
        intensity = Self.gaussianBlur(intensity, width: width, height: height, sigma: blurSigma)
        var logged = [Float](repeating: 0, count: intensity.count)
        var sum = 0.0, count = 0
        for index in intensity.indices {
            let i = Double(intensity[index])
            // Quantum (variance i/photons) and electronic noise, independent: one Gaussian of their summed variance.
            let noisy = i + (i / photons + electronicNoise * electronicNoise).squareRoot() * generator.gaussian()
            let a = -log(max(noisy, 1e-7))
            logged[index] = Float(a)
            if interior[index] { sum += a; count += 1 }
        }
        let centre = count > 0 ? sum / Double(count) : 1
        let scale = lutWidth * glandContrast
        func sigmoid(_ z: Double) -> Double { 1 / (1 + exp(-z)) }
        let floor = sigmoid(-centre / scale)
        let span = 1 - floor
        return logged.map { a in Float(max(0, min(1, (sigmoid((Double(a) - centre) / scale) - floor) / span))) }
    }

    /// Display values in [0, 1] → 16-bit pixels holding `bits`-bit levels.
    func quantise(_ display: [Float]) -> [UInt16] {
        let levels = Double((1 << bits) - 1)
        let toSixteen = 65535 / levels
        return display.map { value in
            let quantised = (Double(min(1, max(0, value))) * levels).rounded()
            return UInt16((quantised * toSixteen).rounded())
        }
    }

    /// Separable Gaussian blur, kernel radius ⌈3σ⌉, edges clamped.
    static func gaussianBlur(_ values: [Float], width: Int, height: Int, sigma: Double) -> [Float] {
        let radius = max(1, Int((3 * sigma).rounded(.up)))
        var kernel = (-radius...radius).map { Float(exp(-Double($0 * $0) / (2 * sigma * sigma))) }
        let total = kernel.reduce(0, +)
        kernel = kernel.map { $0 / total }
        var rows = [Float](repeating: 0, count: values.count)
        var out = [Float](repeating: 0, count: values.count)
        values.withUnsafeBufferPointer { src in
            rows.withUnsafeMutableBufferPointer { mid in
                for y in 0..<height {
                    let row = y * width
                    for x in 0..<width {
                        var sum: Float = 0
                        if x >= radius && x < width - radius {
                            for k in -radius...radius { sum += kernel[k + radius] * src[row + x + k] }
                        } else {
                            for k in -radius...radius { sum += kernel[k + radius] * src[row + min(width - 1, max(0, x + k))] }
                        }
                        mid[row + x] = sum
                    }
                }
            }
        }
        rows.withUnsafeBufferPointer { mid in
            out.withUnsafeMutableBufferPointer { dst in
                for y in 0..<height {
                    for x in 0..<width {
                        var sum: Float = 0
                        for k in -radius...radius { sum += kernel[k + radius] * mid[min(height - 1, max(0, y + k)) * width + x] }
                        dst[y * width + x] = sum
                    }
                }
            }
        }
        return out
    }
}
