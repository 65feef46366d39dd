import Engine
/// One synthetic mammogram ("phantom") and its exact lesion mask.
public struct SyntheticMammogram: Sendable {
    /// 16-bit image, chest wall at the left edge.
    public var image: GrayImage
    /// 8-bit mask, 255 where a lesion added signal.
    public var mask: GrayImage
    public var label: ImageLabel
    /// `mass`, `calcification`, `mass+calcification` or empty.
    public var lesionType: String
    public var view: String
    public var laterality: String
    /// Detector bits the intensities were quantised to (12–16).
    public var detectorBits: Int
    /// The background's power-law exponent β.
    public var beta: Double
}

/// Makes phantoms that are hard enough to be honest (design.md, "Synthetic mammograms"):
/// 1/f^β background (β ~ U(2.5, 3.2)) inside a half-superellipse breast with a skin
/// fall-off, a pectoral triangle on MLO views, masses and calcification clusters whose
/// contrast is within the range of dense tissue, then blur, noise and 12–16-bit quantisation.
///
/// Image `index` depends only on (`seed`, `index`), so phantoms can be made in parallel
/// and in any order with identical bytes.
public struct SyntheticMammogramGenerator: Sendable {
    public var size: Int
    /// Fraction of images without lesions (each image draws independently).
    public var normalFraction: Double
    public var seed: UInt64

    public init(size: Int = 256, normalFraction: Double = 0.5, seed: UInt64 = 1) {
        self.size = size; self.normalFraction = normalFraction; self.seed = seed
    }

    /// Patients own two consecutive images (CC then MLO of one breast).
    public static func patientIndex(ofImage index: Int) -> Int { index / 2 }

    public func make(index: Int) -> SyntheticMammogram {
        var generator = SeededGenerator(seed: seed, keys: SeededGenerator.hash("synthetic"), UInt64(index))
        var patientGenerator = SeededGenerator(seed: seed, keys: SeededGenerator.hash("patient"),
                                               UInt64(Self.patientIndex(ofImage: index)))
        let laterality = patientGenerator.chance(0.5) ? "L" : "R"
        let view = index % 2 == 0 ? "CC" : "MLO"
        let width = size, height = size
        let outline = BreastOutline(width: width, height: height, view: view, generator: &generator)

        // Background: tissue density from 1/f^β noise, brighter (denser) towards the breast's centre.
        let beta = generator.uniform(2.5, 3.2)
        var side = 1
        while side < max(width, height) { side *= 2 }
        let (density, pectoralTexture) = PowerLawNoise.fields(side: side, beta: beta, generator: &generator)
        let densityLevel = generator.uniform(0.35, 0.65)
        // Texture strength: dense tissue varies by about ±5 % of the mean, so a mass of 2–15 %
        // contrast is as bright as dense tissue (no global threshold finds it) yet, by its
        // compact shape, learnable in a CPU-sized training run.
        let textureAmplitude = generator.uniform(0.05, 0.09)
        var intensity = [Float](repeating: 0, count: width * height)
        // Lesion centres: full-thickness tissue outside the muscle. Lesion signal: any tissue.
        var lesionSite = [Bool](repeating: false, count: width * height)
        var tissue = [Bool](repeating: false, count: width * height)
        for y in 0..<height {
            for x in 0..<width {
                let rho = outline.radius(x: x, y: y)
                let thickness = outline.thickness(radius: rho)
                guard thickness > 0 else { continue }
                let noise = Double(density[y * side + x])
                let fibroglandular = min(1, max(0, densityLevel + textureAmplitude * noise + 0.15 * (0.5 - rho)))
                var value = thickness * (0.3 + 0.42 * fibroglandular)
                let pectoral = outline.pectoral(x: x, y: y)
                if pectoral > 0 {
                    let muscle = 0.78 + 0.04 * Double(pectoralTexture[y * side + x])
                    value = value * (1 - pectoral) + muscle * pectoral
                }
                intensity[y * width + x] = Float(value)
                lesionSite[y * width + x] = thickness == 1 && pectoral == 0
                tissue[y * width + x] = true
            }
        }

        // Lesions.
        var mask = [UInt16](repeating: 0, count: width * height)
        var lesionTypes: [String] = []
        var malignant = false
        let scale = Double(size) / 256
        if !generator.chance(normalFraction) {
            let lesionCount = generator.chance(0.1) ? 2 : 1
            for _ in 0..<lesionCount {
                guard let (cx, cy) = randomInteriorPoint(lesionSite, width: width, height: height, generator: &generator) else { break }
                if generator.chance(0.7) {
                    let spiculated = generator.chance(0.5)
                    let mass = SyntheticMass(centerX: cx, centerY: cy, baseRadius: scale * generator.uniform(6, 22),
                                             spiculated: spiculated, generator: &generator)
                    paint(reach: mass.reach, centerX: cx, centerY: cy, contrast: mass.contrast, profile: mass.profile,
                          tissue: tissue, intensity: &intensity, mask: &mask, width: width, height: height)
                    lesionTypes.append("mass")
                    malignant = malignant || generator.chance(spiculated ? 0.8 : 0.35)
                } else {
                    let cluster = SyntheticCalcificationCluster(centerX: cx, centerY: cy, clusterRadius: scale * generator.uniform(4, 9),
                                                                pixelScale: scale, generator: &generator)
                    let b = cluster.bounds
                    let reach = max(max(cx - b.minX, b.maxX - cx), max(cy - b.minY, b.maxY - cy)) + 2
                    paint(reach: reach, centerX: cx, centerY: cy, contrast: cluster.contrast, profile: cluster.profile,
                          tissue: tissue, intensity: &intensity, mask: &mask, width: width, height: height)
                    lesionTypes.append("calcification")
                    malignant = malignant || generator.chance(0.5)
                }
            }
        }

        let chain = ImagingChain(generator: &generator)
        let pixels = chain.apply(intensity, width: width, height: height, generator: &generator)
        let types = Array(Set(lesionTypes)).sorted().joined(separator: "+")
        return SyntheticMammogram(
            image: GrayImage(width: width, height: height, bitDepth: 16, pixels: pixels),
            mask: GrayImage(width: width, height: height, bitDepth: 8, pixels: mask),
            label: lesionTypes.isEmpty ? .normal : (malignant ? .malignant : .benign),
            lesionType: types, view: view, laterality: laterality, detectorBits: chain.bits, beta: beta)
    }

    /// A pixel centre well inside the breast (full thickness, outside the pectoral muscle).
    private func randomInteriorPoint(_ sites: [Bool], width: Int, height: Int,
                                     generator: inout SeededGenerator) -> (Double, Double)? {
        for _ in 0..<1000 {
            let x = generator.int(below: width), y = generator.int(below: height)
            if sites[y * width + x] { return (Double(x) + 0.5, Double(y) + 0.5) }
        }
        return nil
    }

    /// Adds contrast · (local mean) · profile to the intensity and marks the profile's support
    /// in the mask, both only inside the breast (a lesion never reaches into the air). The local
    /// mean is the tissue's mean over the lesion's reach.
    private func paint(reach: Double, centerX: Double, centerY: Double, contrast: Double,
                       profile: (Int, Int) -> Double, tissue: [Bool], intensity: inout [Float], mask: inout [UInt16],
                       width: Int, height: Int) {
        let x0 = max(0, Int(centerX - reach)), x1 = min(width - 1, Int(centerX + reach))
        let y0 = max(0, Int(centerY - reach)), y1 = min(height - 1, Int(centerY + reach))
        guard x0 <= x1, y0 <= y1 else { return }
        var sum = 0.0, count = 0
        for y in y0...y1 { for x in x0...x1 where tissue[y * width + x] { sum += Double(intensity[y * width + x]); count += 1 } }
        let amplitude = contrast * (count > 0 ? sum / Double(count) : 0.5)
        for y in y0...y1 {
            for x in x0...x1 where tissue[y * width + x] {
                let value = profile(x, y)
                guard value > 0 else { continue }
                intensity[y * width + x] += Float(amplitude * value)
                mask[y * width + x] = 255
            }
        }
    }
}
