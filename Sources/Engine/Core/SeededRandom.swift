import Foundation

/// SplitMix64: a small, fast, seedable generator, so every random choice in MammoSeg
/// (initialisation, data order, augmentation, synthetic data) is a function of `--seed`.
public struct SeededRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    /// A generator for a sub-stream, e.g. `(seed, epoch, index)`; independent of call order.
    public init(seed: UInt64, stream: UInt64...) {
        var s = seed
        for v in stream { s = SeededRandom.mix(s &+ 0x9E37_79B9_7F4A_7C15 &* (v &+ 1)) }
        state = s
    }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return SeededRandom.mix(state)
    }

    static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    public mutating func nextUniform() -> Float { Float(next() >> 40) * 0x1p-24 }

    /// Uniform in [low, high).
    public mutating func uniform(_ low: Float, _ high: Float) -> Float { low + (high - low) * nextUniform() }

    /// Standard normal (Box–Muller).
    public mutating func nextNormal() -> Float {
        let u1 = max(nextUniform(), 1e-7), u2 = nextUniform()
        return (-2 * logf(u1)).squareRoot() * cosf(2 * .pi * u2)
    }

    /// A host tensor of standard-normal values times `scale`.
    public mutating func normalTensor(_ shape: [Int], scale: Float = 1) -> HostTensor {
        HostTensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in nextNormal() * scale })
    }

    /// A host tensor uniform in [low, high).
    public mutating func uniformTensor(_ shape: [Int], _ low: Float, _ high: Float) -> HostTensor {
        HostTensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in uniform(low, high) })
    }
}
