#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Engine

/// One synthetic mammogram ("phantom"), its exact lesion mask, and the mask of its mass-like
/// normal findings (confounders), kept apart so false positives can be counted on them.
public struct SyntheticMammogram: Sendable {
    /// 16-bit image, chest wall at the left edge.
    public var image: GrayImage
    /// 8-bit mask, 255 where a lesion added signal.
    public var mask: GrayImage
    /// 8-bit mask, 255 where a confounder (summation, dense island, lymph node) added tissue; all 0 when none.
    public var confounderMask: GrayImage
    public var label: ImageLabel
    /// `mass`, `calcification`, `mass+calcification` or empty.
    public var lesionType: String
    /// Kinds of the confounders drawn (`summation`, `dense-island`, `lymph-node`), sorted, or empty.
    public var confounderTypes: [String]
    /// Whether film-scan artifacts (label, border, tape) were drawn outside the breast.
    public var hasFilmArtifacts: Bool
    public var view: String
    public var laterality: String
    /// Detector bits the intensities were quantised to (12–16).
    public var detectorBits: Int
    /// Fraction of the breast's volume that is glandular (the patient's density, 0.05–0.45).
    public var glandularFraction: Double
    /// Compressed thickness, millimetres (30–90).
    public var thicknessMillimetres: Double
}

/// Makes phantoms a radiologist would recognise (design.md, "Synthetic mammograms";
/// notes/phantoms.md for methods and sources), as the projection of a compressed breast:
///
/// - thickness: the patient's compressed thickness T0 ~ N(59, 16) mm clipped to 30–90, falling
///   off near the skin line (half-superellipse outline, `BreastOutline`), plus a thin skin rim;
/// - fibroglandular tissue: 2–4 independent layers, each of anisotropic compartments whose
///   borders are Cooper's ligaments (`TissueCompartments`), glandular compartments filled with
///   power-law noise (β = 3) thresholded to a local fraction (`NoiseBank`, `InverseNormal`);
///   the patient's glandular fraction is 5–45 %, densest behind the nipple;
/// - vessels from the chest wall and a faint duct tree from the nipple (`TubePainter`);
///   pectoral muscle on MLO views;
/// - masses (`SyntheticMass`) as dense as gland, calcification clusters, and in half of the
///   normal images mass-like confounders (`SyntheticConfounder`) with their own mask;
/// - film artifacts outside the breast in some images (`FilmArtifacts`);
/// - blur, quantum and electronic noise, log, a sigmoid LUT and 12–16-bit quantisation (`ImagingChain`).
///
/// Image `index` depends only on (`seed`, `size`, `index`), so phantoms can be made in
/// parallel and in any order with identical bytes.
public struct SyntheticMammogramGenerator: Sendable {
    public let size: Int
    /// Fraction of images without lesions (each image draws independently).
    public let normalFraction: Double
    public let seed: UInt64
    /// Fraction of normal images with at least one confounder.
    public static let confounderFraction = 0.5
    /// Fraction of images with film artifacts.
    public static let filmArtifactFraction = 0.3
    /// Spectral exponent of the texture that fills the glandular compartments.
    static let textureBeta = 3.0
    /// Spectral exponent of the finer, rougher texture that modulates the gland.
    static let roughBeta = 2.0
    private let bank: NoiseBank
    private let roughBank: NoiseBank

    public init(size: Int = 256, normalFraction: Double = 0.5, seed: UInt64 = 1) {
        self.size = size; self.normalFraction = normalFraction; self.seed = seed
        var side = 64
        while side < size { side *= 2 }
        bank = NoiseBank(side: side, count: 8, beta: Self.textureBeta, seed: seed)
        roughBank = NoiseBank(side: side, count: 2, beta: Self.roughBeta, seed: seed ^ 0x5EED)
    }

    /// Patients own two consecutive images (CC then MLO of one breast).
    public static func patientIndex(ofImage index: Int) -> Int { index / 2 }

    public func make(index: Int) -> SyntheticMammogram {
        var generator = SeededGenerator(seed: seed, keys: SeededGenerator.hash("synthetic"), UInt64(index))
        var patientGenerator = SeededGenerator(seed: seed, keys: SeededGenerator.hash("patient"),
                                               UInt64(Self.patientIndex(ofImage: index)))
        let laterality = patientGenerator.chance(0.5) ? "L" : "R"
        let thicknessMM = min(90, max(30, 59 + 16 * patientGenerator.gaussian()))
        let glandularFraction = 0.05 + 0.4 * pow(patientGenerator.uniform(), 1.4)
        let view = index % 2 == 0 ? "CC" : "MLO"
        let width = size, height = size
        let pixels = width * height
        // The image's height spans about 22 cm of detector.
        let pixelMM = 220 / Double(size)
        let thicknessPixels = thicknessMM / pixelMM
        let outline = BreastOutline(width: width, height: height, view: view, generator: &generator)

        // Geometry per pixel: superellipse radius, relative thickness, pectoral weight, gland envelope.
        var rho = [Double](repeating: 2, count: pixels)
        var thickness = [Float](repeating: 0, count: pixels)
        var pectoral = [Float](repeating: 0, count: pixels)
        var envelope = [Float](repeating: 0, count: pixels)
        var inside = [Bool](repeating: false, count: pixels)
        for y in 0..<height {
            for x in 0..<width {
                let i = y * width + x
                let r = outline.radius(x: x, y: y)
                rho[i] = r
                let t = outline.thickness(radius: r)
                guard t > 0 else { continue }
                thickness[i] = Float(t); inside[i] = true
                pectoral[i] = Float(outline.pectoral(x: x, y: y))
                let u = (Double(x) + 0.5) / outline.depth
                envelope[i] = Float(Self.smoothstep(0.97, 0.55, r) * (0.35 + 0.65 * Self.smoothstep(0, 0.22, u)))
            }
        }
        let meanEnvelope = max(0.1, Double(envelope.reduce(0, +)) / Double(max(1, inside.filter { $0 }.count)))

        // Fibroglandular tissue: the mean of 2–4 independent layers.
        var gland = [Float](repeating: 0, count: pixels)
        let layers = generator.int(in: 2...4)
        let meanFraction = 0.45
        let glandularProbability = min(0.95, glandularFraction / (meanFraction * meanEnvelope))
        let softness = Float(generator.uniform(0.3, 0.6))
        let centreA = 1.4, centreB = 0.35
        for _ in 0..<layers {
            let compartments = TissueCompartments(outline: outline, inside: inside, generator: &generator)
            let glandular = compartments.seeds.map { seed -> Double in
                let sx = min(width - 1, max(0, Int(seed.x))), sy = min(height - 1, max(0, Int(seed.y)))
                let p = glandularProbability * Double(0.3 + 0.7 * envelope[sy * width + sx]) / 0.65
                return generator.chance(min(0.97, p)) ? generator.uniform(0.2, 0.7) : 0
            }
            let noise = bank.crop(tile: generator.int(below: bank.tiles.count), width: width, height: height, generator: &generator)
            let ligament = Float(generator.uniform(0.1, 0.25))
            let share = 1 / Float(layers)
            for y in 0..<height {
                for x in 0..<width {
                    let i = y * width + x
                    guard inside[i] else { continue }
                    let c = Int(compartments.label[i])
                    guard c >= 0 else { continue }
                    var value: Float = 0
                    let fraction = glandular[c]
                    if fraction > 0 {
                        // Gland gathers at the compartment's centre and thins towards its ligaments.
                        let centre = max(0, min(1, centreA - centreB * Double(compartments.distance[i])))
                        let threshold = InverseNormal.upperThreshold(fraction: fraction * Double(envelope[i]) * centre)
                        value = min(1, max(0, (noise[i] - threshold) / softness + 0.5))
                    }
                    if compartments.isBorder(x: x, y: y) { value = max(value, ligament) }
                    gland[i] += value * share
                }
            }
        }

        // The gland's own fine texture (acini and ducts below the resolution).
        let rough = roughBank.crop(tile: generator.int(below: roughBank.tiles.count), width: width, height: height,
                                   generator: &generator)
        let roughness = Float(generator.uniform(0.15, 0.3))
        for i in 0..<pixels where gland[i] > 0 { gland[i] = max(0, gland[i] * (1 + roughness * rough[i])) }

        // Vessels from the chest wall, a faint duct tree from the nipple: path length as a fraction of the thickness.
        var vessels = TubePainter(width: width, height: height)
        for _ in 0..<generator.int(in: 3...7) {
            let y = outline.centerY + outline.halfHeight * generator.uniform(-0.8, 0.8)
            let radius = generator.uniform(0.5, 1.5) / pixelMM
            let steps = 24
            let length = outline.depth * generator.uniform(0.4, 0.9)
            vessels.curve(x: 0, y: y, angle: generator.uniform(-0.5, 0.5) + 0.3 * (y - outline.centerY) / outline.halfHeight,
                          steps: steps, stepLength: length / Double(steps), wiggle: 0.12,
                          r0: radius, r1: radius * 0.5, gain: 1, generator: &generator)
        }
        var ducts = TubePainter(width: width, height: height)
        func branch(_ x: Double, _ y: Double, _ angle: Double, _ length: Double, _ radius: Double, _ generation: Int,
                    _ generator: inout SeededGenerator) {
            guard generation > 0, length > 2 else { return }
            let (ex, ey, ea) = ducts.curve(x: x, y: y, angle: angle, steps: 4, stepLength: length / 4, wiggle: 0.1,
                                           r0: radius, r1: radius * 0.85, gain: 1, generator: &generator)
            let spread = generator.uniform(0.3, 0.6)
            branch(ex, ey, ea - spread, length * generator.uniform(0.6, 0.8), radius * 0.8, generation - 1, &generator)
            branch(ex, ey, ea + spread, length * generator.uniform(0.6, 0.8), radius * 0.8, generation - 1, &generator)
        }
        for _ in 0..<generator.int(in: 2...4) {
            branch(outline.depth * 0.97, outline.centerY + generator.uniform(-3, 3), Double.pi + generator.uniform(-0.5, 0.5),
                   outline.depth * generator.uniform(0.12, 0.2), generator.uniform(0.4, 0.7) / pixelMM,
                   generator.int(in: 4...6), &generator)
        }
        let vesselGain = Float(generator.uniform(1.5, 2.5) / thicknessPixels)
        let ductGain = Float(generator.uniform(0.6, 1.2) / thicknessPixels)
        let muscle = Float(generator.uniform(0.55, 0.85))
        let striation = view == "MLO"
            ? bank.crop(tile: generator.int(below: bank.tiles.count), width: width, height: height, generator: &generator) : []
        for i in 0..<pixels where inside[i] {
            var value = gland[i] + vesselGain * vessels.values[i] + ductGain * ducts.values[i]
            if pectoral[i] > 0 {
                // Thickest at the axilla corner, thinning along the muscle's edge.
                let corner = Float(1 - 0.35 * min(1, (Double(i % width) / outline.pectoralWidth + Double(i / width) / outline.pectoralHeight)))
                value = value * (1 - pectoral[i]) + (muscle * corner + 0.08 * striation[i]) * pectoral[i]
            }
            gland[i] = value
        }

        // Lesions: centres on full-thickness tissue outside the muscle, away from the skin.
        var sites = [Bool](repeating: false, count: pixels)
        for i in 0..<pixels { sites[i] = thickness[i] >= 1 && pectoral[i] == 0 && rho[i] < 0.8 }
        var mask = [UInt16](repeating: 0, count: pixels)
        var confounderMask = [UInt16](repeating: 0, count: pixels)
        var calcium = [Float](repeating: 0, count: pixels)
        var lesionTypes: [String] = []
        var confounderTypes: [String] = []
        var malignant = false
        let scale = Double(size) / 256
        /// Mixes a solid of glandular density into the tissue: G ← G·(1 − τp) + kτp.
        func mixSolid(centerX: Double, centerY: Double, reach: Double, thicknessFraction: Double, density: Double,
                      core: (Int, Int) -> Double, into target: inout [UInt16]) {
            let x0 = max(0, Int(centerX - reach)), x1 = min(width - 1, Int(centerX + reach))
            let y0 = max(0, Int(centerY - reach)), y1 = min(height - 1, Int(centerY + reach))
            guard x0 <= x1, y0 <= y1 else { return }
            for y in y0...y1 {
                for x in x0...x1 where inside[y * width + x] {
                    let p = core(x, y)
                    guard p > 0 else { continue }
                    let i = y * width + x
                    let share = Float(thicknessFraction * p)
                    gland[i] = gland[i] * (1 - share) + Float(density) * share
                    target[i] = 255
                }
            }
        }
        func solidThickness(radius: Double) -> Double {
            min(0.85, 2 * radius * pixelMM / thicknessMM * generator.uniform(1.0, 1.5))
        }
        if !generator.chance(normalFraction) {
            let lesionCount = generator.chance(0.1) ? 2 : 1
            for _ in 0..<lesionCount {
                guard let (cx, cy) = randomPoint(sites, width: width, height: height, generator: &generator) else { break }
                if generator.chance(0.7) {
                    let radius = scale * generator.uniform(6, 20)
                    let mass = SyntheticMass(centerX: cx, centerY: cy, radius: radius, spiculated: generator.chance(0.5),
                                             pixelMillimetres: pixelMM, generator: &generator)
                    let density = generator.uniform(1.0, 1.1)
                    mixSolid(centerX: cx, centerY: cy, reach: mass.coreReach, thicknessFraction: solidThickness(radius: radius),
                             density: density, core: mass.core, into: &mask)
                    if mass.isSpiculated {
                        var spicules = TubePainter(width: width, height: height)
                        mass.paintSpicules(into: &spicules)
                        let strength = Float(generator.uniform(0.5, 0.9))
                        let widest = Float(mass.spicules.map { 2 * $0.4 }.max() ?? 1)
                        for i in 0..<pixels where spicules.values[i] > 0 && inside[i] {
                            let s = min(1, spicules.values[i] / widest) * strength
                            gland[i] += (Float(density) - gland[i]) * s
                            if s > 0.15 { mask[i] = 255 }
                        }
                    }
                    lesionTypes.append("mass")
                    malignant = malignant || generator.chance(mass.isSpiculated ? 0.8 : 0.35)
                } else {
                    let cluster = SyntheticCalcificationCluster(centerX: cx, centerY: cy, clusterRadius: scale * generator.uniform(4, 9),
                                                                pixelScale: scale, generator: &generator)
                    let b = cluster.bounds
                    for y in max(0, Int(b.minY) - 1)...min(height - 1, Int(b.maxY) + 1) {
                        for x in max(0, Int(b.minX) - 1)...min(width - 1, Int(b.maxX) + 1) where inside[y * width + x] {
                            let p = cluster.profile(x: x, y: y)
                            guard p > 0 else { continue }
                            calcium[y * width + x] = max(calcium[y * width + x], Float(cluster.contrast * p))
                            mask[y * width + x] = 255
                        }
                    }
                    lesionTypes.append("calcification")
                    malignant = malignant || generator.chance(0.5)
                }
            }
        } else if generator.chance(Self.confounderFraction) {
            for _ in 0..<(generator.chance(0.3) ? 2 : 1) {
                let kind = SyntheticConfounder.Kind.allCases[generator.int(below: 3)]
                var candidates = sites
                if kind == .lymphNode {
                    // Upper-outer quadrant, towards the axilla: the upper half, nearer the chest wall.
                    for y in 0..<height { for x in 0..<width where Double(y) > outline.centerY || Double(x) > 0.55 * outline.depth {
                        candidates[y * width + x] = false
                    } }
                }
                guard let (cx, cy) = randomPoint(candidates, width: width, height: height, generator: &generator)
                    ?? randomPoint(sites, width: width, height: height, generator: &generator) else { break }
                let radius = scale * generator.uniform(6, 20)
                let confounder = SyntheticConfounder(kind: kind, centerX: cx, centerY: cy, radius: radius,
                                                     pixelMillimetres: pixelMM, generator: &generator)
                mixSolid(centerX: cx, centerY: cy, reach: confounder.reach, thicknessFraction: solidThickness(radius: radius),
                         density: generator.uniform(1.0, 1.1), core: confounder.core, into: &confounderMask)
                if kind == .lymphNode {
                    // Its vessel leaves through the hilum.
                    var vessel = TubePainter(width: width, height: height)
                    let r = generator.uniform(0.5, 1.0) / pixelMM
                    vessel.curve(x: cx, y: cy, angle: confounder.hilumAngle, steps: 12,
                                 stepLength: outline.depth * 0.03, wiggle: 0.1, r0: r, r1: r * 0.8, gain: 1, generator: &generator)
                    for i in 0..<pixels where vessel.values[i] > 0 && inside[i] { gland[i] += vesselGain * vessel.values[i] }
                }
                confounderTypes.append(kind.rawValue)
            }
        }

        // Attenuation: μ_fat·T·(1 + γ·G), a skin rim, calcium.
        let fatAttenuation = 0.05 * thicknessMM   // μ_fat ≈ 0.5 /cm at mammographic energies
        let glandContrast = generator.uniform(0.6, 0.9)
        let skinPixels = max(1, 1.5 / pixelMM)
        let skin = generator.uniform(0.3, 0.6)
        var attenuation = [Float](repeating: 0, count: pixels)
        var interior = [Bool](repeating: false, count: pixels)
        for i in 0..<pixels where inside[i] {
            let t = Double(thickness[i])
            let edgeDistance = (1 - rho[i]) * min(outline.depth, outline.halfHeight)
            let rim = edgeDistance < skinPixels ? skin * (1 - edgeDistance / skinPixels) : 0
            let a = fatAttenuation * (t * (1 + glandContrast * Double(gland[i])) + glandContrast * (rim + Double(calcium[i])))
            attenuation[i] = Float(a)
            interior[i] = t >= 1 && pectoral[i] == 0
        }

        let chain = ImagingChain(generator: &generator)
        var display = chain.display(attenuation, interior: interior, glandContrast: fatAttenuation * glandContrast,
                                    width: width, height: height, generator: &generator)
        let artifacts = generator.chance(Self.filmArtifactFraction)
        if artifacts {
            let outside = (0..<pixels).map { rho[$0] >= 1.04 && pectoral[$0] == 0 }
            FilmArtifacts(generator: &generator).draw(into: &display, outside: outside, width: width, height: height,
                                                      generator: &generator)
        }
        let types = Array(Set(lesionTypes)).sorted().joined(separator: "+")
        return SyntheticMammogram(
            image: GrayImage(width: width, height: height, bitDepth: 16, pixels: chain.quantise(display)),
            mask: GrayImage(width: width, height: height, bitDepth: 8, pixels: mask),
            confounderMask: GrayImage(width: width, height: height, bitDepth: 8, pixels: confounderMask),
            label: lesionTypes.isEmpty ? .normal : (malignant ? .malignant : .benign),
            lesionType: types, confounderTypes: Array(Set(confounderTypes)).sorted(), hasFilmArtifacts: artifacts,
            view: view, laterality: laterality, detectorBits: chain.bits, glandularFraction: glandularFraction,
            thicknessMillimetres: thicknessMM)
    }

    /// 0 at `edge0`, 1 at `edge1`, smooth in between (either order).
    static func smoothstep(_ edge0: Double, _ edge1: Double, _ x: Double) -> Double {
        let t = min(1, max(0, (x - edge0) / (edge1 - edge0)))
        return t * t * (3 - 2 * t)
    }

    /// A random pixel centre where `sites` is true.
    private func randomPoint(_ sites: [Bool], width: Int, height: Int,
                             generator: inout SeededGenerator) -> (Double, Double)? {
        for _ in 0..<1000 {
            let x = generator.int(below: width), y = generator.int(below: height)
            if sites[y * width + x] { return (Double(x) + 0.5, Double(y) + 0.5) }
        }
        return nil
    }
}

