extension SeededGenerator {
    /// Uniform in [low, high) as Float (weight initialisation, test data).
    public mutating func uniform(_ low: Float, _ high: Float) -> Float {
        low + (high - low) * Float(uniform())
    }

    /// A host tensor of standard-normal values times `scale`.
    public mutating func normalTensor(_ shape: [Int], scale: Float = 1) -> HostTensor {
        HostTensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in Float(gaussian()) * scale })
    }

    /// A host tensor uniform in [low, high).
    public mutating func uniformTensor(_ shape: [Int], _ low: Float, _ high: Float) -> HostTensor {
        HostTensor(shape: shape, scalars: (0..<shape.reduce(1, *)).map { _ in uniform(low, high) })
    }
}
