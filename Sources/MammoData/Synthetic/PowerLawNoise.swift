/// Isotropic power-law ("1/f^β") noise, the standard model of mammographic background
/// texture (Burgess: β ≈ 2.8 for real breasts).
///
/// A complex white Gaussian spectrum is shaped by amplitude f^(−β/2) (so power ∝ 1/f^β) and
/// inverse-transformed; the real part is a stationary field with exactly that isotropic
/// spectrum (the imaginary part is a second, independent one, returned too).
public enum PowerLawNoise {
    /// Two independent `side`×`side` fields (side a power of two), each scaled to zero mean
    /// and unit standard deviation. Frequencies are in cycles/pixel; the DC term is zero and
    /// the lowest frequency is clamped to 1/side.
    public static func fields(side: Int, beta: Double, generator: inout SeededGenerator) -> ([Float], [Float]) {
        let fft = FFT(count: side)
        var real = [Double](repeating: 0, count: side * side)
        var imag = [Double](repeating: 0, count: side * side)
        let fMin = 1 / Double(side)
        for v in 0..<side {
            let fy = Double(v <= side / 2 ? v : v - side) / Double(side)
            for u in 0..<side {
                let fx = Double(u <= side / 2 ? u : u - side) / Double(side)
                let index = v * side + u
                if u == 0 && v == 0 { continue }
                let f = max(fMin, (fx * fx + fy * fy).squareRoot())
                let amplitude = pow(f, -beta / 2)
                real[index] = generator.gaussian() * amplitude
                imag[index] = generator.gaussian() * amplitude
            }
        }
        fft.transform2D(real: &real, imag: &imag, inverse: true)
        return (standardized(real), standardized(imag))
    }

    private static func standardized(_ values: [Double]) -> [Float] {
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        let scale = variance > 0 ? 1 / variance.squareRoot() : 0
        return values.map { Float(($0 - mean) * scale) }
    }
}

#if canImport(Glibc)
import Engine
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
