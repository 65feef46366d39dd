import Engine
import MammoData

/// The checkerboard probe: feed inputs that hold no period-2 or period-4 pattern through a
/// (typically untrained) network and measure how much of one its outputs hold. Whatever
/// CEF appears was made by the architecture itself; a clean one scores ≈ 0.
///
/// By default batch norm uses each input's own statistics: a fresh network's running
/// statistics (mean 0, variance 1) are placeholders, and with them its output hardly
/// depends on the input (see `CheckerboardMeasurement.measure`), so every map is its
/// biases' constant plus whatever pattern the upsampling stamps on it — CEF ≈ 1 for any
/// network with a stride-2 transpose conv, however faint the pattern.
public enum CheckerboardProbe {
    public enum Input: String, CaseIterable, Codable, Sendable {
        /// Every pixel 0.5: any structure away from the borders is the network's own.
        case constant
        /// Isotropic power-law noise (β = 3, the mammographic background's exponent) with
        /// mean 0.5 and standard deviation 0.15, clipped to [0, 1]: texture at every scale
        /// but no preferred period.
        case texture
    }

    /// One measurement per probe input.
    public typealias Readings = [(input: Input, measurement: CheckerboardMeasurement)]

    /// Exponent of the texture's power spectrum 1/f^β.
    public static let textureBeta = 3.0

    /// The probe image `[size, size]`, intensities in [0, 1]. The texture depends on `seed` only.
    public static func image(_ input: Input, size: Int, seed: UInt64) -> [Float] {
        switch input {
        case .constant:
            return [Float](repeating: 0.5, count: size * size)
        case .texture:
            var side = 1
            while side < size { side *= 2 }  // the FFT wants a power of two; crop the corner
            var generator = SeededGenerator(seed: seed, keys: 0x7072_6F62_65)  // "probe"
            let field = PowerLawNoise.fields(side: side, beta: textureBeta, generator: &generator).0
            var image = [Float](repeating: 0, count: size * size)
            for y in 0..<size { for x in 0..<size { image[y * size + x] = min(1, max(0, 0.5 + 0.15 * field[y * side + x])) } }
            return image
        }
    }

    /// One measurement per probe input, in `Input.allCases` order. `size` must suit the
    /// architecture (`Architecture.validate(inputSize:)`). `batchStatistics`: see
    /// `CheckerboardMeasurement.measure`.
    public static func run(model: any SegmentationModel, backend: Backend, size: Int, seed: UInt64,
                           batchStatistics: Bool = true) throws -> Readings {
        try model.architecture.validate(inputSize: size)
        return try Input.allCases.map { input in
            (input, try CheckerboardMeasurement.measure(model: model, backend: backend, image: image(input, size: size, seed: seed),
                                                        width: size, height: size, batchStatistics: batchStatistics))
        }
    }
}
