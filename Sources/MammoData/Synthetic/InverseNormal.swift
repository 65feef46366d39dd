import Engine
import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Φ⁻¹, the standard normal quantile, tabulated: thresholding a unit Gaussian field at
/// Φ⁻¹(1 − f) keeps a fraction f of its pixels above the threshold.
enum InverseNormal {
    static let levels = 1024
    /// table[i] = Φ⁻¹((i + 0.5)/levels), by bisection on erfc (once, at first use).
    static let table: [Float] = (0..<levels).map { index in
        let p = (Double(index) + 0.5) / Double(levels)
        var low = -8.0, high = 8.0
        for _ in 0..<60 {
            let mid = (low + high) / 2
            if 0.5 * erfc(-mid / 2.0.squareRoot()) < p { low = mid } else { high = mid }
        }
        return Float((low + high) / 2)
    }

    /// The threshold above which a unit Gaussian exceeds with probability `fraction` (clamped to the table).
    @inline(__always) static func upperThreshold(fraction: Double) -> Float {
        let p = 1 - min(1, max(0, fraction))
        return table[min(levels - 1, max(0, Int(p * Double(levels))))]
    }
}
