import XCTest
import CDNNL
@testable import DNNLBackend
@testable import Engine

/// `DNNLBackend` against `ReferenceBackend` (the specification): every op's output and
/// every gradient, on random inputs and random output gradients, with odd spatial sizes,
/// channel counts that are not multiples of 16, batch 1 and 3, stride 2 and dilation 2.
final class DNNLBackendTests: XCTestCase {
    let reference = ReferenceBackend()
    var dnnl: DNNLBackend!
    var random = SeededGenerator(seed: 2024)
    let tolerance: Float = 1e-4

    override func setUpWithError() throws {
        dnnl = try DNNLBackend(threads: 2)
    }

    // MARK: Helpers

    func assertClose(_ actual: HostTensor, _ expected: HostTensor, _ what: String,
                     file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertEqual(actual.shape, expected.shape, what, file: file, line: line)
        guard actual.shape == expected.shape else { return }
        let difference = actual.maxRelativeDifference(to: expected)
        XCTAssertLessThanOrEqual(difference, tolerance, "\(what): max relative difference \(difference)",
                                 file: file, line: line)
    }

    func assertClose(_ actual: Tensor, _ expected: Tensor, _ what: String,
                     file: StaticString = #filePath, line: UInt = #line) throws {
        XCTAssertEqual(actual.shape, expected.shape, what, file: file, line: line)
        assertClose(try dnnl.download(actual), try reference.download(expected), what, file: file, line: line)
    }

    /// The same host data on both backends.
    func upload(_ host: HostTensor) throws -> (dnnl: Tensor, reference: Tensor) {
        (try dnnl.upload(host), try reference.upload(host))
    }

    func randomPair(_ shape: [Int]) throws -> (dnnl: Tensor, reference: Tensor) {
        try upload(random.normalTensor(shape))
    }

    typealias BatchNormValues = (gamma: HostTensor, beta: HostTensor, mean: HostTensor, variance: HostTensor)

    /// Random batch-norm parameters and running statistics for `channels` channels.
    func randomBatchNorm(_ channels: Int) -> BatchNormValues {
        (random.uniformTensor([channels], 0.5, 1.5), random.normalTensor([channels]),
         random.normalTensor([channels]), random.uniformTensor([channels], 0.2, 3))
    }

    /// oneDNN's one-call conv → BN → ReLU (after a nearest resize ×factor when factor > 1)
    /// against the reference's separate ops.
    func assertConvBNReLUInferenceMatches(_ x: (dnnl: Tensor, reference: Tensor), resize factor: Int = 1,
                                          weight: HostTensor, bias: HostTensor?, geometry: ConvGeometry,
                                          _ bn: BatchNormValues, _ what: String,
                                          file: StaticString = #filePath, line: UInt = #line) throws {
        let fused = factor == 1
            ? try dnnl.convBNReLUInference(x.dnnl, weight: weight, bias: bias, geometry: geometry, gamma: bn.gamma,
                                           beta: bn.beta, mean: bn.mean, variance: bn.variance, epsilon: 1e-5)
            : try dnnl.resizeConvBNReLUInference(x.dnnl, factor: factor, weight: weight, bias: bias, geometry: geometry,
                                                 gamma: bn.gamma, beta: bn.beta, mean: bn.mean, variance: bn.variance,
                                                 epsilon: 1e-5)
        let input = factor == 1 ? x.reference : try reference.resizeNearest(x.reference, factor: factor)
        let expected = try reference.convBNReLUInference(input, weight: weight, bias: bias, geometry: geometry,
                                                         gamma: bn.gamma, beta: bn.beta, mean: bn.mean,
                                                         variance: bn.variance, epsilon: 1e-5)
        try assertClose(fused, expected, what, file: file, line: line)
    }

    // MARK: Edges

    func testUploadDownloadRoundTrip() throws {
        for shape in [[3, 5, 7, 9], [1, 17, 1, 3], [3, 17]] {
            let host = random.normalTensor(shape)
            XCTAssertEqual(try dnnl.download(dnnl.upload(host)), host)
        }
    }

    func testBlockedLayoutRoundTrip() throws {
        // A relu after a convolution keeps oneDNN's blocked layout; download must undo it exactly.
        let x = random.normalTensor([3, 17, 5, 7])
        let blocked = try dnnl.converted(dnnl.storage(of: dnnl.upload(x), "test"),
                                         to: .make([3, 17, 5, 7], dnnl_aBcd16b))
        XCTAssertGreaterThan(blocked.byteCount, 3 * 17 * 5 * 7 * 4, "17 channels pad to 32")
        XCTAssertEqual(try dnnl.download(dnnl.tensor(blocked)), x)
    }

    // MARK: Convolution

    func testConvolutionMatchesReference() throws {
        let cases: [(input: [Int], weight: [Int], geometry: ConvGeometry, bias: Bool)] = [
            ([1, 3, 7, 9], [5, 3, 3, 3], ConvGeometry(kernel: 3, padding: 1), true),
            ([3, 17, 9, 7], [16, 17, 3, 3], ConvGeometry(kernel: 3, padding: 1), true),
            ([3, 16, 8, 8], [32, 16, 3, 3], ConvGeometry(kernel: 3, padding: 1), true),
            ([1, 5, 9, 8], [17, 5, 3, 3], ConvGeometry(kernel: 3, stride: 2, padding: 1), true),
            ([3, 5, 11, 9], [3, 5, 3, 3], ConvGeometry(kernel: 3, padding: 2, dilation: 2), true),
            ([1, 3, 7, 7], [5, 3, 1, 1], ConvGeometry(kernel: 1), false),
            ([3, 1, 9, 9], [4, 1, 5, 5], ConvGeometry(kernel: 5, padding: 2), true),
        ]
        for c in cases {
            let what = "conv \(c.input) w\(c.weight) \(c.geometry)"
            let x = try randomPair(c.input)
            let weight = random.normalTensor(c.weight, scale: 0.3)
            let bias = c.bias ? random.normalTensor([c.weight[0]]) : nil
            let y = try dnnl.conv2d(x.dnnl, weight: weight, bias: bias, geometry: c.geometry)
            let yRef = try reference.conv2d(x.reference, weight: weight, bias: bias, geometry: c.geometry)
            try assertClose(y, yRef, "\(what) forward")

            let dy = try randomPair(yRef.shape)
            let grads = try dnnl.conv2dBackward(dy.dnnl, x: x.dnnl, weight: weight, hasBias: c.bias,
                                                geometry: c.geometry, needInputGradient: true)
            let expected = try reference.conv2dBackward(dy.reference, x: x.reference, weight: weight, hasBias: c.bias,
                                                        geometry: c.geometry, needInputGradient: true)
            try assertClose(XCTUnwrap(grads.dx), XCTUnwrap(expected.dx), "\(what) dx")
            assertClose(grads.dWeight, expected.dWeight, "\(what) dWeight")
            XCTAssertEqual(grads.dBias == nil, !c.bias, "\(what) dBias presence")
            if let dBias = grads.dBias, let expectedBias = expected.dBias { assertClose(dBias, expectedBias, "\(what) dBias") }

            let weightsOnly = try dnnl.conv2dBackward(dy.dnnl, x: x.dnnl, weight: weight, hasBias: c.bias,
                                                      geometry: c.geometry, needInputGradient: false)
            XCTAssertNil(weightsOnly.dx, "\(what): no input gradient asked")
            assertClose(weightsOnly.dWeight, expected.dWeight, "\(what) dWeight without dx")
        }
    }

    func testTransposedConvolutionMatchesReference() throws {
        let cases: [(input: [Int], weight: [Int], geometry: ConvGeometry, bias: Bool)] = [
            ([3, 5, 4, 5], [5, 3, 4, 4], ConvGeometry(kernel: 4, stride: 2, padding: 1), true),
            ([1, 17, 5, 7], [17, 5, 3, 3], ConvGeometry(kernel: 3, padding: 1), true),
            ([1, 3, 3, 2], [3, 2, 5, 5], ConvGeometry(kernel: 5, stride: 5), true),
            ([3, 16, 3, 3], [16, 17, 2, 2], ConvGeometry(kernel: 2, stride: 2), false),
            ([1, 3, 5, 4], [3, 5, 3, 3], ConvGeometry(kernel: 3, stride: 2, padding: 2, dilation: 2), true),
        ]
        for c in cases {
            let what = "convTranspose \(c.input) w\(c.weight) \(c.geometry)"
            let x = try randomPair(c.input)
            let weight = random.normalTensor(c.weight, scale: 0.3)
            let bias = c.bias ? random.normalTensor([c.weight[1]]) : nil
            let y = try dnnl.convTranspose2d(x.dnnl, weight: weight, bias: bias, geometry: c.geometry)
            let yRef = try reference.convTranspose2d(x.reference, weight: weight, bias: bias, geometry: c.geometry)
            try assertClose(y, yRef, "\(what) forward")

            let dy = try randomPair(yRef.shape)
            let grads = try dnnl.convTranspose2dBackward(dy.dnnl, x: x.dnnl, weight: weight, hasBias: c.bias,
                                                         geometry: c.geometry, needInputGradient: true)
            let expected = try reference.convTranspose2dBackward(dy.reference, x: x.reference, weight: weight,
                                                                 hasBias: c.bias, geometry: c.geometry,
                                                                 needInputGradient: true)
            try assertClose(XCTUnwrap(grads.dx), XCTUnwrap(expected.dx), "\(what) dx")
            assertClose(grads.dWeight, expected.dWeight, "\(what) dWeight")
            XCTAssertEqual(grads.dBias == nil, !c.bias, "\(what) dBias presence")
            if let dBias = grads.dBias, let expectedBias = expected.dBias { assertClose(dBias, expectedBias, "\(what) dBias") }
        }
    }

    func testTransposedConvolutionWithReLUMatchesReference() throws {
        // Phase decomposition (k 4 s 2 p 1, k 5 s 5, k 2 s 2), stride 1 as a convolution, and
        // the deconvolution fallback (k 3 s 2: k not a multiple of s).
        let cases: [(input: [Int], weight: [Int], geometry: ConvGeometry, bias: Bool)] = [
            ([3, 5, 4, 5], [5, 17, 4, 4], ConvGeometry(kernel: 4, stride: 2, padding: 1), true),
            ([2, 8, 6, 6], [8, 4, 4, 4], ConvGeometry(kernel: 4, stride: 2, padding: 1), false),
            ([1, 3, 3, 2], [3, 2, 5, 5], ConvGeometry(kernel: 5, stride: 5), true),
            ([3, 16, 3, 3], [16, 17, 2, 2], ConvGeometry(kernel: 2, stride: 2), true),
            ([1, 17, 5, 7], [17, 5, 3, 3], ConvGeometry(kernel: 3, padding: 1), true),
            ([2, 4, 5, 4], [4, 3, 3, 3], ConvGeometry(kernel: 3, stride: 2, padding: 1), true),
            // Whole channel blocks per phase (the study's tconv1 at width 1.0): the blocked shuffle.
            ([2, 32, 5, 6], [32, 16, 4, 4], ConvGeometry(kernel: 4, stride: 2, padding: 1), true),
            ([1, 8, 3, 2], [8, 8, 5, 5], ConvGeometry(kernel: 5, stride: 5), false),
        ]
        for c in cases {
            let x = try randomPair(c.input)
            let weight = random.normalTensor(c.weight, scale: 0.3)
            let bias = c.bias ? random.normalTensor([c.weight[1]]) : nil
            try assertClose(
                dnnl.convTranspose2dReLUInference(x.dnnl, weight: weight, bias: bias, geometry: c.geometry),
                reference.relu(reference.convTranspose2d(x.reference, weight: weight, bias: bias, geometry: c.geometry)),
                "convTranspose2dReLUInference \(c.input) w\(c.weight) \(c.geometry)")
        }
    }

    func testPhaseDecompositionCoversTheStudysUpsamplings() throws {
        func transposed(_ input: [Int], _ weight: [Int], _ geometry: ConvGeometry) throws -> PhaseDecomposition? {
            PhaseDecomposition(transposed: try ConvolutionSpec(.deconvolution, input: input, weight: weight, biasCount: nil,
                                                               geometry: geometry, op: "test"))
        }
        let tconv = try XCTUnwrap(transposed([2, 32, 320, 320], [32, 16, 4, 4], ConvGeometry(kernel: 4, stride: 2, padding: 1)))
        XCTAssertEqual(tconv.geometry, ConvGeometry(kernel: 2, stride: 1, padding: 1))
        XCTAssertEqual(tconv.convolutionWeightShape, [64, 32, 2, 2])
        XCTAssertEqual(tconv.phaseOffsets, [0, 1])
        XCTAssertNotNil(try transposed([1, 64, 2, 2], [64, 64, 5, 5], ConvGeometry(kernel: 5, stride: 5)), "FCN up1")
        XCTAssertNil(try transposed([1, 4, 5, 5], [4, 3, 3, 3], ConvGeometry(kernel: 3, stride: 2, padding: 1)),
                     "k 3, s 2: phase 1 has one tap fewer and the output is odd")
        XCTAssertNil(try transposed([1, 4, 5, 5], [4, 3, 3, 3], ConvGeometry(kernel: 3, padding: 1)), "stride 1")

        // Resize ×4 then a 3×3 conv (up4): phases 0 | 1, 2 | 3 read rows {q−1, q} | {q} | {q, q+1}.
        let up4 = try XCTUnwrap(PhaseDecomposition(resizedBy: 4, then: ConvolutionSpec(
            .convolution, input: [2, 64, 320, 320], weight: [32, 64, 3, 3], biasCount: 32,
            geometry: ConvGeometry(kernel: 3, padding: 1), op: "test")))
        XCTAssertEqual(up4.geometry, ConvGeometry(kernel: 2, stride: 1, padding: 1))
        XCTAssertEqual(up4.phaseOffsets, [0, 1, 1, 1])
        XCTAssertEqual(up4.convolutionWeightShape, [512, 64, 2, 2])
    }

    func testResizeThenConvBNReLUInferenceMatchesReference() throws {
        // ×4 and thin ×2 (decomposed), wide ×2 keeping its width (Winograd on the resized input),
        // wide ×2 narrowing (decomposed), and a dilated kernel.
        for (input, outChannels, factor, geometry) in [
            ([2, 5, 3, 4], 7, 4, ConvGeometry(kernel: 3, padding: 1)),
            ([3, 4, 5, 3], 3, 2, ConvGeometry(kernel: 3, padding: 1)),
            ([1, 40, 4, 5], 40, 2, ConvGeometry(kernel: 3, padding: 1)),
            ([2, 64, 3, 3], 33, 2, ConvGeometry(kernel: 3, padding: 1)),
            ([1, 6, 4, 4], 17, 2, ConvGeometry(kernel: 3, padding: 2, dilation: 2)),
            // Whole channel blocks per phase: the blocked layout's own shuffle.
            ([2, 8, 5, 3], 16, 4, ConvGeometry(kernel: 3, padding: 1)),
            ([2, 24, 3, 5], 32, 2, ConvGeometry(kernel: 3, padding: 1)),
        ] {
            let x = try randomPair(input)
            let weight = random.normalTensor([outChannels, input[1], 3, 3], scale: 0.3)
            try assertConvBNReLUInferenceMatches(x, resize: factor, weight: weight, bias: random.normalTensor([outChannels]),
                                                 geometry: geometry, randomBatchNorm(outChannels),
                                                 "resize ×\(factor) + convBNReLUInference \(input) → \(outChannels) \(geometry)")
        }
    }

    /// The thin-kernel path (< 8 channels out, ≤ 16 in; `CThinConvolution` on AVX2 CPUs) equals
    /// the composition, for conv → BN → ReLU and for a stride-1 transposed convolution + ReLU, at
    /// widths that end inside, on and past an 8-pixel block and on single rows and columns.
    func testThinConvolutionsMatchReference() throws {
        let same = ConvGeometry(kernel: 3, padding: 1)
        for (input, outChannels) in [([2, 4, 5, 19], 2), ([1, 1, 1, 1], 1), ([3, 16, 3, 8], 7), ([1, 3, 9, 9], 5),
                                     ([2, 7, 4, 17], 3), ([1, 2, 1, 24], 7),
                                     // Rows long enough for 4 (≤ 2 channels) and 2 (≤ 4) blocks at once.
                                     ([1, 3, 2, 75], 2), ([2, 5, 3, 50], 4)] {
            let spec = try ConvolutionSpec(.convolution, input: input, weight: [outChannels, input[1], 3, 3],
                                           biasCount: outChannels, geometry: same, op: "test", fusedReLU: true)
            XCTAssertEqual(DNNLBackend.runsThin(spec), DNNLBackend.thinKernelAvailable, "\(input) → \(outChannels)")
            let x = try randomPair(input)
            try assertConvBNReLUInferenceMatches(x, weight: random.normalTensor([outChannels, input[1], 3, 3], scale: 0.3),
                                                 bias: random.normalTensor([outChannels]), geometry: same,
                                                 randomBatchNorm(outChannels), "thin convBNReLUInference \(input) → \(outChannels)")
            let transposedWeight = random.normalTensor([input[1], outChannels, 3, 3], scale: 0.3)
            let bias = random.normalTensor([outChannels])
            try assertClose(
                dnnl.convTranspose2dReLUInference(x.dnnl, weight: transposedWeight, bias: bias, geometry: same),
                reference.relu(reference.convTranspose2d(x.reference, weight: transposedWeight, bias: bias, geometry: same)),
                "thin convTranspose2dReLUInference \(input) → \(outChannels)")
        }
        let wide = try ConvolutionSpec(.convolution, input: [1, 17, 8, 8], weight: [8, 17, 3, 3], biasCount: 8,
                                       geometry: same, op: "test", fusedReLU: true)
        XCTAssertFalse(DNNLBackend.runsThin(wide), "17 input channels stay with oneDNN")
        let fullBlock = try ConvolutionSpec(.convolution, input: [1, 8, 8, 8], weight: [8, 8, 3, 3], biasCount: 8,
                                            geometry: same, op: "test", fusedReLU: true)
        XCTAssertFalse(DNNLBackend.runsThin(fullBlock), "8 output channels fill oneDNN's blocks")
    }

    func testFusedConvolutionSoftmaxMatchesReference() throws {
        // Two classes: one convolution on logit differences, then a logistic pass; three: the default.
        for (input, outChannels, kernel, hasBias) in [([3, 5, 6, 7], 2, 1, true), ([2, 17, 5, 4], 2, 3, false),
                                                      ([1, 4, 3, 5], 3, 1, true)] {
            let x = try randomPair(input)
            let weight = random.normalTensor([outChannels, input[1], kernel, kernel], scale: 1)
            let bias = hasBias ? random.normalTensor([outChannels]) : nil
            let geometry = ConvGeometry(kernel: kernel, padding: kernel / 2)
            try assertClose(
                dnnl.conv2dSoftmaxInference(x.dnnl, weight: weight, bias: bias, geometry: geometry),
                reference.softmax(reference.conv2d(x.reference, weight: weight, bias: bias, geometry: geometry)),
                "conv2dSoftmaxInference \(input) → \(outChannels)")
        }
    }

    func testBufferPoolReusesExactThenSlightlyLargerBuffers() {
        let pool = BufferPool()
        let (first, capacity) = pool.take(byteCount: 1000)
        XCTAssertEqual(capacity, 1000)
        pool.give(first, capacity: capacity)
        let reused = pool.take(byteCount: 600)
        XCTAssertEqual(reused.buffer, first, "an idle buffer under 2× the request is reused")
        XCTAssertEqual(reused.capacity, 1000, "and keeps its real capacity for the next give")
        pool.give(reused.buffer, capacity: reused.capacity)
        let small = pool.take(byteCount: 400)
        XCTAssertNotEqual(small.buffer, first, "more than 2× larger is not handed out")
        XCTAssertEqual(small.capacity, 400)
        pool.give(small.buffer, capacity: small.capacity)
    }

    // MARK: Pooling

    func testMaxPoolMatchesReference() throws {
        for shape in [[3, 17, 8, 6], [1, 5, 6, 10], [1, 3, 2, 2]] {
            let x = try randomPair(shape)
            let (y, saved) = try dnnl.maxPool2x2(x.dnnl)
            let (yRef, savedRef) = try reference.maxPool2x2(x.reference)
            try assertClose(y, yRef, "maxPool \(shape) forward")
            let dy = try randomPair(yRef.shape)
            try assertClose(dnnl.maxPool2x2Backward(dy.dnnl, x: x.dnnl, saved: saved),
                            reference.maxPool2x2Backward(dy.reference, x: x.reference, saved: savedRef),
                            "maxPool \(shape) dx")
        }
    }

    func testGlobalAveragePoolMatchesReference() throws {
        for shape in [[3, 17, 5, 7], [1, 5, 1, 1], [1, 3, 4, 3]] {
            let x = try randomPair(shape)
            let yRef = try reference.globalAveragePool(x.reference)
            try assertClose(dnnl.globalAveragePool(x.dnnl), yRef, "globalAveragePool \(shape) forward")
            let dy = try randomPair(yRef.shape)
            try assertClose(dnnl.globalAveragePoolBackward(dy.dnnl, inputShape: shape),
                            reference.globalAveragePoolBackward(dy.reference, inputShape: shape),
                            "globalAveragePool \(shape) dx")
        }
    }

    // MARK: Batch norm

    func testBatchNormTrainingMatchesReference() throws {
        for shape in [[3, 17, 5, 7], [1, 5, 3, 3], [3, 16, 4, 4]] {
            for fuseReLU in [false, true] {
                let what = "batchNorm \(shape) relu \(fuseReLU)"
                let x = try upload(random.normalTensor(shape, scale: 2))
                let channels = [shape[1]]
                let gamma = random.uniformTensor(channels, 0.5, 1.5), beta = random.normalTensor(channels, scale: 0.5)
                let out = try dnnl.batchNormTraining(x.dnnl, gamma: gamma, beta: beta, epsilon: 1e-5, fuseReLU: fuseReLU)
                let ref = try reference.batchNormTraining(x.reference, gamma: gamma, beta: beta, epsilon: 1e-5,
                                                          fuseReLU: fuseReLU)
                try assertClose(out.y, ref.y, "\(what) y")
                assertClose(out.mean, ref.mean, "\(what) mean")
                assertClose(out.variance, ref.variance, "\(what) variance")

                let dy = try randomPair(shape)
                let grads = try dnnl.batchNormBackward(dy.dnnl, x: x.dnnl, y: out.y, gamma: gamma, beta: beta,
                                                       epsilon: 1e-5, fuseReLU: fuseReLU, saved: out.saved)
                let expected = try reference.batchNormBackward(dy.reference, x: x.reference, y: ref.y, gamma: gamma,
                                                               beta: beta, epsilon: 1e-5, fuseReLU: fuseReLU,
                                                               saved: ref.saved)
                try assertClose(grads.dx, expected.dx, "\(what) dx")
                assertClose(grads.dGamma, expected.dGamma, "\(what) dGamma")
                assertClose(grads.dBeta, expected.dBeta, "\(what) dBeta")
            }
        }
    }

    func testBatchNormInferenceMatchesReference() throws {
        for shape in [[3, 17, 5, 7], [1, 5, 3, 3]] {
            for fuseReLU in [false, true] {
                let x = try randomPair(shape)
                let channels = [shape[1]]
                let gamma = random.uniformTensor(channels, 0.5, 1.5), beta = random.normalTensor(channels)
                let mean = random.normalTensor(channels), variance = random.uniformTensor(channels, 0.2, 3)
                try assertClose(
                    dnnl.batchNormInference(x.dnnl, gamma: gamma, beta: beta, mean: mean, variance: variance,
                                            epsilon: 1e-5, fuseReLU: fuseReLU),
                    reference.batchNormInference(x.reference, gamma: gamma, beta: beta, mean: mean,
                                                 variance: variance, epsilon: 1e-5, fuseReLU: fuseReLU),
                    "batchNormInference \(shape) relu \(fuseReLU)")
            }
        }
    }

    func testFusedConvBNReLUInferenceMatchesReference() throws {
        // 17 output channels run blocked, 3 channels-last; with and without conv bias.
        for (input, outChannels, geometry, hasBias) in [
            ([3, 5, 9, 7], 17, ConvGeometry(kernel: 3, padding: 1), true),
            ([2, 4, 8, 8], 3, ConvGeometry(kernel: 3, stride: 2, padding: 1), false),
            ([1, 6, 9, 9], 17, ConvGeometry(kernel: 3, padding: 2, dilation: 2), true),
            // ≥ 32 channels in and out: Winograd with its pre-transformed inference weights.
            ([2, 33, 10, 9], 40, ConvGeometry(kernel: 3, padding: 1), true),
        ] {
            let x = try randomPair(input)
            let weight = random.normalTensor([outChannels, input[1], 3, 3], scale: 0.3)
            let bias = hasBias ? random.normalTensor([outChannels]) : nil
            try assertConvBNReLUInferenceMatches(x, weight: weight, bias: bias, geometry: geometry,
                                                 randomBatchNorm(outChannels), "convBNReLUInference \(input) → \(outChannels)")
        }
    }

    func testWinogradInferenceWeightsFollowTheProblemShape() throws {
        // Winograd's transformed-weight blocking depends on batch and image size: one set of
        // weights used at two shapes needs two conversions (a shared one crashed a tiled predict).
        let weight = random.normalTensor([64, 64, 3, 3], scale: 0.1), bias = random.normalTensor([64])
        let bn = randomBatchNorm(64)
        for shape in [[1, 64, 4, 4], [3, 64, 4, 4], [2, 64, 12, 8], [1, 64, 4, 4]] {
            try assertConvBNReLUInferenceMatches(try randomPair(shape), weight: weight, bias: bias,
                                                 geometry: ConvGeometry(kernel: 3, padding: 1), bn,
                                                 "Winograd inference at \(shape)")
        }
    }

    func testCachedWeightsFollowInPlaceUpdates() throws {
        // The optimizer changes weights in place; the backend must never reuse a stale reorder.
        let x = try randomPair([2, 5, 6, 6])
        let geometry = ConvGeometry(kernel: 3, padding: 1)
        let weight = Parameter(name: "w", value: random.normalTensor([17, 5, 3, 3], scale: 0.3))
        let variance = Parameter(name: "v", value: random.uniformTensor([17], 0.2, 3), kind: .buffer)
        let (gamma, beta, mean) = (random.uniformTensor([17], 0.5, 1.5), random.normalTensor([17]), random.normalTensor([17]))
        for step in 0..<3 {
            try assertClose(dnnl.conv2d(x.dnnl, weight: weight.value, bias: nil, geometry: geometry),
                            reference.conv2d(x.reference, weight: weight.value, bias: nil, geometry: geometry),
                            "conv2d after \(step) updates")
            try assertClose(
                dnnl.convBNReLUInference(x.dnnl, weight: weight.value, bias: nil, geometry: geometry, gamma: gamma,
                                         beta: beta, mean: mean, variance: variance.value, epsilon: 1e-5),
                reference.convBNReLUInference(x.reference, weight: weight.value, bias: nil, geometry: geometry,
                                              gamma: gamma, beta: beta, mean: mean, variance: variance.value,
                                              epsilon: 1e-5),
                "convBNReLUInference after \(step) updates")
            weight.value.scalars.withUnsafeMutableBufferPointer { w in for i in w.indices { w[i] *= -0.5 } }
            variance.value.scalars[3] += 1
        }
    }

    // MARK: Element-wise

    func testReLUMatchesReference() throws {
        for shape in [[3, 17, 5, 7], [1, 3, 1, 1], [3, 5]] {
            let x = try randomPair(shape)
            let y = try dnnl.relu(x.dnnl), yRef = try reference.relu(x.reference)
            try assertClose(y, yRef, "relu \(shape) forward")
            let dy = try randomPair(shape)
            try assertClose(dnnl.reluBackward(dy.dnnl, y: y), reference.reluBackward(dy.reference, y: yRef),
                            "relu \(shape) dx")
        }
    }

    func testAddMatchesReferenceAcrossLayouts() throws {
        let shape = [3, 5, 7, 9]
        let a = try randomPair(shape), b = try randomPair(shape)
        try assertClose(dnnl.add(a.dnnl, b.dnnl), reference.add(a.reference, b.reference), "add plain + plain")
        // A convolution output is blocked; adding a plain tensor must reorder, not misread.
        let weight = random.normalTensor([5, 5, 3, 3], scale: 0.3)
        let g = ConvGeometry(kernel: 3, padding: 1)
        let c = try dnnl.conv2d(a.dnnl, weight: weight, bias: nil, geometry: g)
        let cRef = try reference.conv2d(a.reference, weight: weight, bias: nil, geometry: g)
        try assertClose(dnnl.add(c, b.dnnl), reference.add(cRef, b.reference), "add blocked + plain")
        try assertClose(dnnl.add(b.dnnl, c), reference.add(b.reference, cRef), "add plain + blocked")
    }

    func testResizeNearestMatchesReference() throws {
        for (shape, factor) in [([3, 5, 3, 5], 2), ([1, 17, 2, 3], 3), ([1, 2, 3, 3], 1)] {
            let x = try randomPair(shape)
            let yRef = try reference.resizeNearest(x.reference, factor: factor)
            try assertClose(dnnl.resizeNearest(x.dnnl, factor: factor), yRef, "resize \(shape) ×\(factor) forward")
            let dy = try randomPair(yRef.shape)
            try assertClose(dnnl.resizeNearestBackward(dy.dnnl, factor: factor),
                            reference.resizeNearestBackward(dy.reference, factor: factor),
                            "resize \(shape) ×\(factor) dx")
        }
    }

    // MARK: Dense and output

    func testLinearMatchesReference() throws {
        for (input, outputs) in [([3, 17], 5), ([1, 3], 2), ([3, 32], 16)] {
            let x = try randomPair(input)
            let weight = random.normalTensor([outputs, input[1]], scale: 0.3), bias = random.normalTensor([outputs])
            let yRef = try reference.linear(x.reference, weight: weight, bias: bias)
            try assertClose(dnnl.linear(x.dnnl, weight: weight, bias: bias), yRef, "linear \(input) forward")
            let dy = try randomPair(yRef.shape)
            let grads = try dnnl.linearBackward(dy.dnnl, x: x.dnnl, weight: weight, needInputGradient: true)
            let expected = try reference.linearBackward(dy.reference, x: x.reference, weight: weight,
                                                        needInputGradient: true)
            try assertClose(XCTUnwrap(grads.dx), XCTUnwrap(expected.dx), "linear \(input) dx")
            assertClose(grads.dWeight, expected.dWeight, "linear \(input) dWeight")
            assertClose(grads.dBias, expected.dBias, "linear \(input) dBias")
        }
    }

    func testClassifierHeadChain() throws {
        // conv (blocked output) → global average pool → linear, with gradients back to the input.
        let x = try randomPair([3, 5, 6, 7])
        let convWeight = random.normalTensor([17, 5, 3, 3], scale: 0.3)
        let g = ConvGeometry(kernel: 3, stride: 2, padding: 1)
        let fcWeight = random.normalTensor([2, 17], scale: 0.3), fcBias = random.normalTensor([2])
        let features = try dnnl.conv2d(x.dnnl, weight: convWeight, bias: nil, geometry: g)
        let featuresRef = try reference.conv2d(x.reference, weight: convWeight, bias: nil, geometry: g)
        let pooled = try dnnl.globalAveragePool(features), pooledRef = try reference.globalAveragePool(featuresRef)
        let logits = try dnnl.linear(pooled, weight: fcWeight, bias: fcBias)
        let logitsRef = try reference.linear(pooledRef, weight: fcWeight, bias: fcBias)
        try assertClose(logits, logitsRef, "head logits")

        let labels: [UInt8] = [0, 1, 1]
        let loss = try dnnl.weightedCrossEntropy(logits, labels: labels, positiveWeight: 18)
        let lossRef = try reference.weightedCrossEntropy(logitsRef, labels: labels, positiveWeight: 18)
        XCTAssertEqual(loss.loss, lossRef.loss, accuracy: 1e-4 * max(1, abs(lossRef.loss)))
        let fc = try dnnl.linearBackward(loss.dLogits, x: pooled, weight: fcWeight, needInputGradient: true)
        let fcRef = try reference.linearBackward(lossRef.dLogits, x: pooledRef, weight: fcWeight, needInputGradient: true)
        assertClose(fc.dWeight, fcRef.dWeight, "head fc dWeight")
        let dFeatures = try dnnl.globalAveragePoolBackward(XCTUnwrap(fc.dx), inputShape: features.shape)
        let dFeaturesRef = try reference.globalAveragePoolBackward(XCTUnwrap(fcRef.dx), inputShape: featuresRef.shape)
        let conv = try dnnl.conv2dBackward(dFeatures, x: x.dnnl, weight: convWeight, hasBias: false, geometry: g,
                                           needInputGradient: true)
        let convRef = try reference.conv2dBackward(dFeaturesRef, x: x.reference, weight: convWeight, hasBias: false,
                                                   geometry: g, needInputGradient: true)
        try assertClose(XCTUnwrap(conv.dx), XCTUnwrap(convRef.dx), "head input gradient")
        assertClose(conv.dWeight, convRef.dWeight, "head conv dWeight")
    }

    func testSoftmaxMatchesReference() throws {
        for shape in [[3, 2, 5, 7], [1, 5, 4, 4], [3, 17]] {
            let x = try upload(random.normalTensor(shape, scale: 3))
            try assertClose(dnnl.softmax(x.dnnl), reference.softmax(x.reference), "softmax \(shape)")
        }
    }

    func testWeightedCrossEntropyMatchesReference() throws {
        // The last shape is split over both threads; its large logits saturate the softmax.
        for (shape, scale) in [([3, 2, 5, 7], Float(2)), ([1, 2, 1, 3], 2), ([2, 2, 128, 128], 12)] {
            let logits = try upload(random.normalTensor(shape, scale: scale))
            let pixels = shape[0] * shape[2] * shape[3]
            let labels = (0..<pixels).map { _ in UInt8(random.next() % 2) }
            let out = try dnnl.weightedCrossEntropy(logits.dnnl, labels: labels, positiveWeight: 18)
            let ref = try reference.weightedCrossEntropy(logits.reference, labels: labels, positiveWeight: 18)
            XCTAssertEqual(out.loss, ref.loss, accuracy: 1e-4 * max(1, abs(ref.loss)), "loss \(shape)")
            try assertClose(out.dLogits, ref.dLogits, "weightedCrossEntropy \(shape) dLogits")
        }
    }

    func testSegmentationChainKeepsLayoutsConsistent() throws {
        // conv → BN+ReLU → max pool → resize ×2 → conv to 2 classes → loss, and every gradient
        // back: activations stay blocked in between, so this exercises the layout plumbing.
        let shape = [3, 3, 6, 10]
        let x = try randomPair(shape)
        let w1 = random.normalTensor([17, 3, 3, 3], scale: 0.3), b1 = random.normalTensor([17])
        let gamma = random.uniformTensor([17], 0.5, 1.5), beta = random.normalTensor([17], scale: 0.3)
        let w2 = random.normalTensor([2, 17, 3, 3], scale: 0.3)
        let g = ConvGeometry(kernel: 3, padding: 1)

        let c1 = try dnnl.conv2d(x.dnnl, weight: w1, bias: b1, geometry: g)
        let c1Ref = try reference.conv2d(x.reference, weight: w1, bias: b1, geometry: g)
        let bn = try dnnl.batchNormTraining(c1, gamma: gamma, beta: beta, epsilon: 1e-5, fuseReLU: true)
        let bnRef = try reference.batchNormTraining(c1Ref, gamma: gamma, beta: beta, epsilon: 1e-5, fuseReLU: true)
        let pool = try dnnl.maxPool2x2(bn.y), poolRef = try reference.maxPool2x2(bnRef.y)
        let up = try dnnl.resizeNearest(pool.y, factor: 2), upRef = try reference.resizeNearest(poolRef.y, factor: 2)
        let logits = try dnnl.conv2d(up, weight: w2, bias: nil, geometry: g)
        let logitsRef = try reference.conv2d(upRef, weight: w2, bias: nil, geometry: g)
        try assertClose(logits, logitsRef, "chain logits")

        let labels = (0..<(3 * 6 * 10)).map { _ in UInt8(random.next() % 2) }
        let loss = try dnnl.weightedCrossEntropy(logits, labels: labels, positiveWeight: 18)
        let lossRef = try reference.weightedCrossEntropy(logitsRef, labels: labels, positiveWeight: 18)
        XCTAssertEqual(loss.loss, lossRef.loss, accuracy: 1e-4 * max(1, abs(lossRef.loss)))

        let d2 = try dnnl.conv2dBackward(loss.dLogits, x: up, weight: w2, hasBias: false, geometry: g,
                                         needInputGradient: true)
        let d2Ref = try reference.conv2dBackward(lossRef.dLogits, x: upRef, weight: w2, hasBias: false, geometry: g,
                                                 needInputGradient: true)
        assertClose(d2.dWeight, d2Ref.dWeight, "chain w2 gradient")
        let dUp = try dnnl.resizeNearestBackward(XCTUnwrap(d2.dx), factor: 2)
        let dUpRef = try reference.resizeNearestBackward(XCTUnwrap(d2Ref.dx), factor: 2)
        let dPool = try dnnl.maxPool2x2Backward(dUp, x: bn.y, saved: pool.saved)
        let dPoolRef = try reference.maxPool2x2Backward(dUpRef, x: bnRef.y, saved: poolRef.saved)
        let dBN = try dnnl.batchNormBackward(dPool, x: c1, y: bn.y, gamma: gamma, beta: beta, epsilon: 1e-5,
                                             fuseReLU: true, saved: bn.saved)
        let dBNRef = try reference.batchNormBackward(dPoolRef, x: c1Ref, y: bnRef.y, gamma: gamma, beta: beta,
                                                     epsilon: 1e-5, fuseReLU: true, saved: bnRef.saved)
        assertClose(dBN.dGamma, dBNRef.dGamma, "chain dGamma")
        let d1 = try dnnl.conv2dBackward(dBN.dx, x: x.dnnl, weight: w1, hasBias: true, geometry: g,
                                         needInputGradient: true)
        let d1Ref = try reference.conv2dBackward(dBNRef.dx, x: x.reference, weight: w1, hasBias: true, geometry: g,
                                                 needInputGradient: true)
        try assertClose(XCTUnwrap(d1.dx), XCTUnwrap(d1Ref.dx), "chain input gradient")
        assertClose(d1.dWeight, d1Ref.dWeight, "chain w1 gradient")
        assertClose(try XCTUnwrap(d1.dBias), try XCTUnwrap(d1Ref.dBias), "chain b1 gradient")
    }

    // MARK: Errors

    func testBadShapesThrowInsteadOfTrapping() throws {
        let x = try dnnl.upload(random.normalTensor([1, 3, 5, 5]))
        XCTAssertThrowsError(try dnnl.conv2d(x, weight: HostTensor(zeros: [4, 2, 3, 3]), bias: nil,
                                             geometry: ConvGeometry(kernel: 3))) { error in
            guard case EngineError.shapeMismatch = error else { return XCTFail("unexpected \(error)") }
        }
        XCTAssertThrowsError(try dnnl.maxPool2x2(x))
        XCTAssertThrowsError(try dnnl.add(x, dnnl.upload(random.normalTensor([1, 3, 5, 4]))))
        XCTAssertThrowsError(try dnnl.weightedCrossEntropy(dnnl.upload(random.normalTensor([1, 2, 2, 2])),
                                                           labels: [0, 1, 2, 0], positiveWeight: 1))
        XCTAssertThrowsError(try dnnl.relu(reference.upload(random.normalTensor([1, 3]))))
        XCTAssertThrowsError(try DNNLBackend(threads: 0))
    }

    func testThreadCountIsAppliedBeforePrimitivesAreBuilt() throws {
        XCTAssertEqual(try DNNLBackend(threads: 1).threads, 1)
        XCTAssertEqual(omp_get_max_threads(), 1)
        XCTAssertEqual(try DNNLBackend(threads: 2).threads, 2)
    }

    func testFailedCallNamesTheCallAndStatus() {
        var desc = dnnl_memory_desc_t()
        XCTAssertThrowsError(try dnnlCall("dnnl_memory_desc_init_by_tag") {
            dnnl_memory_desc_init_by_tag(&desc, 4, [1, -3, 2, 2, 0, 0, 0, 0, 0, 0, 0, 0], dnnl_f32, dnnl_nchw)
        }) { error in
            XCTAssertEqual(error as? EngineError,
                           .backendCall(call: "dnnl_memory_desc_init_by_tag", status: "invalid_arguments"))
        }
    }
}
