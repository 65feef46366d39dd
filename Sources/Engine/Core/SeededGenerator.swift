/// A small, fast, seedable PRNG (xoshiro256**, seeded through SplitMix64) whose output
/// is fixed by its seed on every platform and Swift version.
///
/// The draws this project needs (`uniform`, `int(below:)`, `gaussian`, `shuffle`) are
/// implemented here rather than through the standard library's `random(in:using:)`,
/// whose algorithms are not promised to stay the same, so a seed always means the same bytes.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64

    /// Seeds the generator from `seed` and any number of `keys` (epoch, batch, image index...).
    /// Different key lists give independent streams: `SeededGenerator(seed: 7, keys: 1, 2)`.
    public init(seed: UInt64, keys: UInt64...) {
        self.init(seed: seed, keyList: keys)
    }

    public init(seed: UInt64, keyList: [UInt64]) {
        var state = seed
        for key in keyList {
            // Fold each key through the SplitMix64 finaliser so (1, 2) and (2, 1) differ.
            state = SeededGenerator.mix(state &+ 0x9E37_79B9_7F4A_7C15 &* (key &+ 1))
        }
        var splitMix = state
        s0 = SeededGenerator.splitMix64(&splitMix)
        s1 = SeededGenerator.splitMix64(&splitMix)
        s2 = SeededGenerator.splitMix64(&splitMix)
        s3 = SeededGenerator.splitMix64(&splitMix)
    }

    public mutating func next() -> UInt64 {
        let result = rotate(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotate(s3, 45)
        return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// Uniform in [lower, upper).
    public mutating func uniform(_ lower: Double, _ upper: Double) -> Double { lower + (upper - lower) * uniform() }

    /// Uniform integer in 0..<bound (rejection sampling, no modulo bias).
    public mutating func int(below bound: Int) -> Int {
        precondition(bound > 0, "SeededGenerator.int(below:) needs a positive bound")
        let n = UInt64(bound)
        let limit = UInt64.max - UInt64.max % n
        var value = next()
        while value >= limit { value = next() }
        return Int(value % n)
    }

    /// Uniform integer in the closed range.
    public mutating func int(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + int(below: range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `p`.
    public mutating func chance(_ p: Double) -> Bool { uniform() < p }

    /// Standard normal draw (Box–Muller; one value per call, simplicity over speed).
    public mutating func gaussian() -> Double {
        let u1 = max(uniform(), 0x1p-60), u2 = uniform()
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }

    /// Fisher–Yates shuffle with this generator's own integer draw.
    public mutating func shuffle<T>(_ array: inout [T]) {
        guard array.count > 1 else { return }
        for i in stride(from: array.count - 1, to: 0, by: -1) {
            array.swapAt(i, int(below: i + 1))
        }
    }

    /// The SplitMix64 output function (also a good 64-bit hash).
    public static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A stable 64-bit hash of a string (FNV-1a then mixed), for keying streams by name.
    public static func hash(_ string: String) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for byte in string.utf8 { h = (h ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return mix(h)
    }

    private static func splitMix64(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return mix(state)
    }

    private func rotate(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
