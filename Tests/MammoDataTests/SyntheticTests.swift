import Engine
import XCTest
@testable import MammoData

final class SyntheticTests: XCTestCase {
    func testFFTMatchesDirectDFT() {
        let n = 16
        var generator = SeededGenerator(seed: 3)
        let inputReal = (0..<n).map { _ in generator.uniform(-1.0, 1.0) as Double }
        let inputImag = (0..<n).map { _ in generator.uniform(-1.0, 1.0) as Double }
        var real = inputReal, imag = inputImag
        let fft = FFT(count: n)
        real.withUnsafeMutableBufferPointer { re in imag.withUnsafeMutableBufferPointer { im in
            fft.transform(real: re.baseAddress!, imag: im.baseAddress!, inverse: false)
        } }
        for k in 0..<n {
            var sr = 0.0, si = 0.0
            for t in 0..<n {
                let angle = -2 * Double.pi * Double(k * t) / Double(n)
                sr += inputReal[t] * cos(angle) - inputImag[t] * sin(angle)
                si += inputReal[t] * sin(angle) + inputImag[t] * cos(angle)
            }
            XCTAssertEqual(real[k], sr, accuracy: 1e-9)
            XCTAssertEqual(imag[k], si, accuracy: 1e-9)
        }
    }

    /// The radial power spectrum's log-log slope recovers β (design note: 2.8 → 2.81).
    func testPowerLawNoiseHasRequestedSpectralSlope() {
        let side = 128
        var generator = SeededGenerator(seed: 11)
        let (field, _) = PowerLawNoise.fields(side: side, beta: 3.0, generator: &generator)
        var real = field.map(Double.init), imag = [Double](repeating: 0, count: side * side)
        FFT(count: side).transform2D(real: &real, imag: &imag, inverse: false)
        var xs: [Double] = [], ys: [Double] = []
        var bins = [Double](repeating: 0, count: side), counts = [Double](repeating: 0, count: side)
        for v in 0..<side { for u in 0..<side {
            let fx = Double(u <= side / 2 ? u : u - side), fy = Double(v <= side / 2 ? v : v - side)
            let bin = Int((fx * fx + fy * fy).squareRoot().rounded())
            bins[bin] += real[v * side + u] * real[v * side + u] + imag[v * side + u] * imag[v * side + u]
            counts[bin] += 1
        } }
        for bin in 3..<(side / 4) { xs.append(log(Double(bin))); ys.append(log(bins[bin] / counts[bin])) }
        let mx = xs.reduce(0, +) / Double(xs.count), my = ys.reduce(0, +) / Double(ys.count)
        let slope = zip(xs, ys).reduce(0) { $0 + ($1.0 - mx) * ($1.1 - my) } / xs.reduce(0) { $0 + ($1 - mx) * ($1 - mx) }
        XCTAssertEqual(-slope, 3.0, accuracy: 0.2)
    }

    func testSameSeedGivesIdenticalBytesAndOutputMatchesRequest() throws {
        let folder = TemporaryFolder()
        var options = SyntheticDataset.Options()
        options.count = 6; options.size = 64; options.seed = 42
        try SyntheticDataset.write(to: folder.join("a"), options: options)
        try SyntheticDataset.write(to: folder.join("b"), options: options)
        options.seed = 43
        try SyntheticDataset.write(to: folder.join("c"), options: options)
        let dataset = try PreparedDataset(root: folder.join("a"))
        XCTAssertEqual(dataset.entries.count, 6)
        for entry in dataset.entries {
            let a = try Data(contentsOf: URL(fileURLWithPath: folder.join("a", entry.image)))
            let b = try Data(contentsOf: URL(fileURLWithPath: folder.join("b", entry.image)))
            let c = try Data(contentsOf: URL(fileURLWithPath: folder.join("c", entry.image)))
            XCTAssertEqual(a, b, "same seed must give identical bytes")
            XCTAssertNotEqual(a, c, "another seed must give other images")
            XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: folder.join("a", entry.mask))),
                           try Data(contentsOf: URL(fileURLWithPath: folder.join("b", entry.mask))))
            let (image, mask) = try dataset.loadPair(entry)
            XCTAssertEqual([image.width, image.height, image.bitDepth, mask.bitDepth], [64, 64, 16, 8])
            let summary = try ImageFile.summary(folder.join("a", entry.image))
            XCTAssertEqual([summary.width, summary.height, summary.bitDepth], [64, 64, 16])
            XCTAssertEqual(summary.format, .png)
            XCTAssertEqual(try ImageFile.readGray(folder.join("a", entry.mask)).pixels.filter { $0 != 0 && $0 != 255 }.count, 0)
            XCTAssertEqual(mask.hasForeground, entry.label != .normal, entry.id)
            XCTAssertEqual(entry.lesionType.isEmpty, entry.label == .normal)
        }
        XCTAssertEqual(try String(contentsOfFile: folder.join("a", "manifest.csv"), encoding: .utf8),
                       try String(contentsOfFile: folder.join("b", "manifest.csv"), encoding: .utf8))
    }

    /// The honesty check: masses are as dense as gland, so the best single global threshold,
    /// chosen on the data itself, segments the lesions of the positive images poorly (pooled
    /// Dice ≤ 0.15, the bound).
    func testBestGlobalThresholdScoresPoorly() {
        let generator = SyntheticMammogramGenerator(size: 256, normalFraction: 0, seed: 7)
        let phantoms = (0..<40).map(generator.make(index:))
        var baseline = ThresholdBaseline()
        for phantom in phantoms {
            XCTAssertTrue(phantom.mask.hasForeground)
            baseline.add(image: phantom.image, mask: phantom.mask)
        }
        let best = baseline.bestDice
        print("synthetic baseline: best global threshold Dice = \(best)")
        XCTAssertLessThanOrEqual(best, 0.15)
        XCTAssertGreaterThan(best, 0.0)
    }

    func testThresholdBaselineFindsAnEasyLesion() {
        // A lesion that is the only bright region: some threshold segments it perfectly.
        var image = GrayImage(width: 8, height: 8, bitDepth: 16), mask = GrayImage(width: 8, height: 8, bitDepth: 8)
        for i in 0..<64 { image.pixels[i] = UInt16(i * 100) }
        for i in 60..<64 { image.pixels[i] = 60000; mask.pixels[i] = 255 }
        var baseline = ThresholdBaseline()
        baseline.add(image: image, mask: mask)
        XCTAssertEqual(baseline.bestDice, 1, accuracy: 1e-12)
    }

    func testPhantomsVaryBitDepthAndBothViews() {
        let generator = SyntheticMammogramGenerator(size: 64, normalFraction: 0.5, seed: 1)
        let phantoms = (0..<20).map(generator.make(index:))
        XCTAssertGreaterThan(Set(phantoms.map(\.detectorBits)).count, 2)
        XCTAssertEqual(Set(phantoms.map(\.view)), ["CC", "MLO"])
        let normals = phantoms.filter { $0.label == .normal }.count
        XCTAssertTrue((4...16).contains(normals), "about half normal, got \(normals)/20")
        XCTAssertTrue(phantoms.allSatisfy { (0.05...0.45).contains($0.glandularFraction) })
        XCTAssertTrue(phantoms.allSatisfy { (30...90).contains($0.thicknessMillimetres) })
        // Both images of a patient share the breast: laterality, density, thickness.
        for pair in stride(from: 0, to: 20, by: 2) {
            XCTAssertEqual(phantoms[pair].laterality, phantoms[pair + 1].laterality)
            XCTAssertEqual(phantoms[pair].glandularFraction, phantoms[pair + 1].glandularFraction)
        }
    }

    /// Image i is a function of (seed, size, i) alone: made in another order, by another
    /// generator, it has the same bytes, lesion mask and confounder mask.
    func testEachImageIsAFunctionOfSeedAndIndex() {
        let a = SyntheticMammogramGenerator(size: 96, seed: 5), b = SyntheticMammogramGenerator(size: 96, seed: 5)
        let forward = (0..<8).map(a.make(index:)), backward = (0..<8).reversed().map(b.make(index:)).reversed()
        for (x, y) in zip(forward, backward) {
            XCTAssertEqual(x.image, y.image); XCTAssertEqual(x.mask, y.mask); XCTAssertEqual(x.confounderMask, y.confounderMask)
            XCTAssertEqual(x.lesionType, y.lesionType); XCTAssertEqual(x.confounderTypes, y.confounderTypes)
        }
        XCTAssertNotEqual(SyntheticMammogramGenerator(size: 96, seed: 6).make(index: 0).image, forward[0].image)
    }

    /// About half of the normal images hold mass-like confounders, with a mask of their own;
    /// images with lesions hold none, every kind occurs, and film artifacts appear in some images.
    func testConfounderMasksInAboutHalfTheNormalImages() {
        let generator = SyntheticMammogramGenerator(size: 96, normalFraction: 0.5, seed: 3)
        let phantoms = (0..<80).map(generator.make(index:))
        let normals = phantoms.filter { $0.label == .normal }
        let withConfounders = normals.filter { $0.confounderMask.hasForeground }
        let share = Double(withConfounders.count) / Double(normals.count)
        XCTAssertTrue((0.3...0.7).contains(share), "confounders in \(withConfounders.count) of \(normals.count) normal images")
        for phantom in phantoms {
            XCTAssertEqual(phantom.confounderMask.hasForeground, !phantom.confounderTypes.isEmpty)
            XCTAssertTrue(phantom.confounderMask.pixels.allSatisfy { $0 == 0 || $0 == 255 })
            if phantom.label != .normal { XCTAssertFalse(phantom.confounderMask.hasForeground, "lesion images have none") }
            XCTAssertFalse(phantom.mask.hasForeground && phantom.label == .normal)
        }
        XCTAssertEqual(Set(withConfounders.flatMap(\.confounderTypes)), Set(SyntheticConfounder.Kind.allCases.map(\.rawValue)))
        let artifacts = phantoms.filter(\.hasFilmArtifacts).count
        XCTAssertTrue((10...40).contains(artifacts), "film artifacts in \(artifacts)/80")
    }

    /// The dataset keeps confounder masks beside the lesion masks, for exactly the images that have them.
    func testDatasetWritesConfounderMasks() throws {
        let folder = TemporaryFolder()
        var options = SyntheticDataset.Options()
        options.count = 24; options.size = 64; options.seed = 3
        let summary = try SyntheticDataset.write(to: folder.join("d"), options: options)
        let dataset = try PreparedDataset(root: folder.join("d"))
        let generator = SyntheticMammogramGenerator(size: 64, normalFraction: 0.5, seed: 3)
        var found = 0
        for (index, entry) in dataset.entries.enumerated() {
            let phantom = generator.make(index: index)
            let stored = try dataset.loadConfounderMask(entry, width: 64, height: 64)
            XCTAssertEqual(stored != nil, phantom.confounderMask.hasForeground, entry.id)
            if let stored { XCTAssertEqual(stored.pixels, phantom.confounderMask.pixels); found += 1 }
        }
        XCTAssertGreaterThan(found, 0)
        XCTAssertEqual(summary.imagesWithConfounders, found)
    }
}
