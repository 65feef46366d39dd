import XCTest
@testable import DNNLBackend
@testable import Engine

/// MammoSeg's own Winograd F(4×4, 3×3) inference convolution (`WinogradConvolution`), forced
/// on, against the reference backend's conv → batch norm → ReLU: sizes that are not multiples
/// of the 4×4 tile, channel counts that are not multiples of the 8-channel block, batch > 1,
/// dilation 2, and enough tiles for several chunks plus a remainder.
final class WinogradConvolutionTests: XCTestCase {
    let reference = ReferenceBackend()
    var dnnl: DNNLBackend!
    var random = SeededGenerator(seed: 4343)
    let tolerance: Float = 1e-4

    override func setUpWithError() throws {
        dnnl = try DNNLBackend(threads: 2)
        dnnl.winogradMode = .always
        dnnl.winogradMinimumChannels = 32   // below the default, to cover channel counts that are not multiples of 8
    }

    func testWinogradMatchesReferenceConvolution() throws {
        for (input, outChannels, dilation, hasBias) in [
            ([1, 32, 8, 8], 32, 1, true),
            ([2, 33, 10, 9], 40, 1, true),
            ([3, 35, 7, 13], 37, 1, false),
            ([1, 32, 1, 1], 32, 1, true),
            ([2, 32, 52, 50], 48, 1, true),   // 2·13·13 tiles: a full chunk and a remainder
            ([1, 40, 5, 5], 48, 2, true),
            ([2, 33, 11, 6], 36, 2, false),
            ([1, 64, 20, 20], 64, 2, true),
        ] {
            let geometry = ConvGeometry(kernel: 3, padding: dilation, dilation: dilation)
            let spec = try ConvolutionSpec(.convolution, input: input, weight: [outChannels, input[1], 3, 3],
                                           biasCount: outChannels, geometry: geometry, op: "test", fusedReLU: true)
            let plan = try XCTUnwrap(dnnl.ownWinograd(for: spec), "\(input) → \(outChannels) takes the Winograd path")
            if input[2] == 52 { XCTAssertGreaterThan(plan.tileCount, plan.chunkTiles, "several chunks") }
            try assertMatchesReference(input, outChannels: outChannels, geometry: geometry, hasBias: hasBias,
                                       "Winograd \(input) → \(outChannels), dilation \(dilation)")
        }
    }

    func testWinogradWeightsAreReusedAcrossShapes() throws {
        // One set of weights at several batch and image sizes (different chunk GEMMs and
        // remainders) and back: each result still matches.
        let weight = random.normalTensor([48, 40, 3, 3], scale: 0.3), bias = random.normalTensor([48])
        let bn = randomBatchNorm(48)
        for shape in [[1, 40, 4, 4], [3, 40, 12, 8], [2, 40, 60, 44], [1, 40, 4, 4]] {
            let x = random.normalTensor(shape)
            try assertMatchesReference(x, weight: weight, bias: bias, geometry: ConvGeometry(kernel: 3, padding: 1), bn,
                                       "shared weights at \(shape)")
        }
    }

    func testModeAndShapeChooseThePath() throws {
        func spec(_ input: [Int], _ outChannels: Int, _ geometry: ConvGeometry, fused: Bool = true) throws -> ConvolutionSpec {
            try ConvolutionSpec(.convolution, input: input, weight: [outChannels, input[1], geometry.kernelH, geometry.kernelW],
                                biasCount: outChannels, geometry: geometry, op: "test", fusedReLU: fused)
        }
        let same = ConvGeometry(kernel: 3, padding: 1)
        XCTAssertNotNil(dnnl.ownWinograd(for: try spec([1, 32, 8, 8], 32, same)))
        XCTAssertNil(dnnl.ownWinograd(for: try spec([1, 32, 8, 8], 32, same, fused: false)), "training keeps oneDNN's")
        XCTAssertNil(dnnl.ownWinograd(for: try spec([1, 16, 8, 8], 32, same)), "too few input channels")
        XCTAssertNil(dnnl.ownWinograd(for: try spec([1, 32, 8, 8], 31, same)), "too few output channels")
        XCTAssertNil(dnnl.ownWinograd(for: try spec([1, 32, 8, 8], 32, ConvGeometry(kernel: 3, stride: 2, padding: 1))))
        XCTAssertNil(dnnl.ownWinograd(for: try spec([1, 32, 8, 8], 32, ConvGeometry(kernel: 3))), "not padded to the same size")
        XCTAssertNil(dnnl.ownWinograd(for: try spec([1, 32, 8, 8], 32, ConvGeometry(kernel: 1))))
        XCTAssertNil(dnnl.ownWinograd(for: try spec([1, 32, 16, 16], 32, ConvGeometry(kernel: 3, padding: 3, dilation: 3))))
        dnnl.winogradMinimumChannels = DNNLBackend.defaultWinogradMinimumChannels
        XCTAssertNil(dnnl.ownWinograd(for: try spec([1, 64, 8, 8], 128, same)), "below the measured threshold")
        XCTAssertNotNil(dnnl.ownWinograd(for: try spec([1, 128, 8, 8], 256, same)))
        dnnl.winogradMode = .never
        XCTAssertNil(dnnl.ownWinograd(for: try spec([1, 32, 8, 8], 32, same)))
        dnnl.winogradMode = .automatic
        XCTAssertEqual(dnnl.ownWinograd(for: try spec([1, 128, 8, 8], 128, same)) != nil, !DNNLBackend.oneDNNHasWinograd)
    }

    func testTransformsReproduceAKnownTile() {
        // A tile of ones and a kernel of ones: every output of the 4×4 tile is 9.
        var transformedKernel = [Double](repeating: 0, count: 36)
        [Float](repeating: 1, count: 9).withUnsafeBufferPointer { WinogradTransform.kernel($0.baseAddress!, into: &transformedKernel) }
        let u = transformedKernel.map(Float.init)
        let tile = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: 52)
        defer { tile.deallocate() }
        for i in 0..<36 { tile[i] = SIMD8(repeating: 1) }
        WinogradTransform.transformInput(tile)
        for i in 0..<36 { tile[i] *= SIMD8(repeating: u[i]) }
        WinogradTransform.transformOutput(tile, into: tile + 36)
        for i in 0..<16 { XCTAssertEqual(tile[36 + i][0], 9, accuracy: 1e-5, "output \(i)") }
    }

    /// The AVX2 + FMA transforms (`CWinogradKernels`, taken on CPUs that have them) and the
    /// portable Swift ones agree, so the path that the machine running the tests does not take
    /// stays checked: border tiles, dilation 2, a chunk that starts mid-batch.
    func testAVX2TransformsEqualTheSwiftOnes() throws {
        guard WinogradConvolution.hasAVX2Transforms else { throw XCTSkip("this CPU has no AVX2 + FMA") }
        for (input, outChannels, dilation) in [([2, 16, 11, 9], 24, 1), ([1, 8, 13, 10], 16, 2)] {
            let geometry = ConvGeometry(kernel: 3, padding: dilation, dilation: dilation)
            let spec = try ConvolutionSpec(.convolution, input: input, weight: [outChannels, input[1], 3, 3],
                                           biasCount: outChannels, geometry: geometry, op: "test", fusedReLU: true)
            dnnl.winogradMinimumChannels = 8
            let plan = try XCTUnwrap(dnnl.ownWinograd(for: spec))
            let first = 3, tiles = plan.tileCount - first
            let activations = random.normalTensor([input[0] * plan.inBlocks * input[2] * input[3] * 8]).scalars
            let products = random.normalTensor([36 * plan.outBlocks * tiles * 8]).scalars
            let bias = random.normalTensor([plan.outBlocks * 8]).scalars
            func run(avx2: Bool) -> (transformed: [Float], output: [Float]) {
                var transformed = [Float](repeating: .nan, count: 36 * plan.inBlocks * tiles * 8)
                var output = [Float](repeating: -1, count: input[0] * plan.outBlocks * input[2] * input[3] * 8)
                transformed.withUnsafeMutableBufferPointer { t in
                    plan.transformInput(activations, units: 0..<(plan.inBlocks * tiles), first: first, tiles: tiles,
                                        into: t.baseAddress!, useAVX2: avx2)
                }
                output.withUnsafeMutableBufferPointer { o in
                    plan.transformOutput(products, units: 0..<(plan.outBlocks * tiles), first: first, tiles: tiles,
                                         bias: bias, into: o.baseAddress!, useAVX2: avx2)
                }
                return (transformed, output)
            }
            let swift = run(avx2: false), avx2 = run(avx2: true)
            for (name, a, b) in [("input", swift.transformed, avx2.transformed), ("output", swift.output, avx2.output)] {
                let worst = zip(a, b).map { abs($0 - $1) / max(1, abs($0)) }.max() ?? .nan
                XCTAssertLessThanOrEqual(worst, 1e-5, "\(name) transform, \(input) dilation \(dilation)")
            }
            XCTAssertFalse(swift.transformed.contains { $0.isNaN }, "every transformed value written")
        }
    }

    // MARK: Helpers

    typealias BatchNormValues = (gamma: HostTensor, beta: HostTensor, mean: HostTensor, variance: HostTensor)

    func randomBatchNorm(_ channels: Int) -> BatchNormValues {
        (random.uniformTensor([channels], 0.5, 1.5), random.normalTensor([channels]),
         random.normalTensor([channels]), random.uniformTensor([channels], 0.2, 3))
    }

    func assertMatchesReference(_ input: [Int], outChannels: Int, geometry: ConvGeometry, hasBias: Bool, _ what: String,
                                file: StaticString = #filePath, line: UInt = #line) throws {
        let x = random.normalTensor(input)
        let weight = random.normalTensor([outChannels, input[1], 3, 3], scale: 0.3)
        let bias = hasBias ? random.normalTensor([outChannels]) : nil
        try assertMatchesReference(x, weight: weight, bias: bias, geometry: geometry, randomBatchNorm(outChannels), what,
                                   file: file, line: line)
    }

    func assertMatchesReference(_ x: HostTensor, weight: HostTensor, bias: HostTensor?, geometry: ConvGeometry,
                                _ bn: BatchNormValues, _ what: String,
                                file: StaticString = #filePath, line: UInt = #line) throws {
        let actual = try dnnl.download(dnnl.convBNReLUInference(
            dnnl.upload(x), weight: weight, bias: bias, geometry: geometry, gamma: bn.gamma, beta: bn.beta,
            mean: bn.mean, variance: bn.variance, epsilon: 1e-5))
        let expected = try reference.download(reference.convBNReLUInference(
            reference.upload(x), weight: weight, bias: bias, geometry: geometry, gamma: bn.gamma, beta: bn.beta,
            mean: bn.mean, variance: bn.variance, epsilon: 1e-5))
        XCTAssertEqual(actual.shape, expected.shape, what, file: file, line: line)
        guard actual.shape == expected.shape else { return }
        let difference = actual.maxRelativeDifference(to: expected)
        XCTAssertLessThanOrEqual(difference, tolerance, "\(what): max relative difference \(difference)", file: file, line: line)
        XCTAssertTrue(actual.scalars.contains { $0 > 0 } && actual.scalars.contains { $0 == 0 },
                      "\(what): the ReLU both passes and clips", file: file, line: line)
    }
}
