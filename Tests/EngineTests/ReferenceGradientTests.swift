import XCTest
@testable import Engine

/// The reference backend's gradients against central finite differences of
/// L(x) = Σ dy ⊙ f(x) with a random dy (not a plain sum, so every output counts differently).
final class ReferenceGradientTests: XCTestCase {
    let backend = ReferenceBackend()
    var random = SeededGenerator(seed: 7)

    /// Checks `analytic` against finite differences of `forward` at `point`, all entries.
    func assertGradient(_ analytic: HostTensor, at point: HostTensor, dy: HostTensor,
                        step: Float = 1e-2, tolerance: Float = 5e-3, _ name: String,
                        forward: (HostTensor) throws -> HostTensor, file: StaticString = #filePath, line: UInt = #line) throws {
        func objective(_ p: HostTensor) throws -> Double {
            let y = try forward(p)
            return zip(y.scalars, dy.scalars).reduce(0) { $0 + Double($1.0) * Double($1.1) }
        }
        XCTAssertEqual(analytic.shape, point.shape, name, file: file, line: line)
        for i in 0..<point.count {
            var plus = point, minus = point
            plus.scalars[i] += step; minus.scalars[i] -= step
            let numeric = Float((try objective(plus) - objective(minus)) / Double(2 * step))
            let error = abs(numeric - analytic.scalars[i]) / max(1, abs(numeric))
            if error > tolerance {
                XCTFail("\(name)[\(i)]: analytic \(analytic.scalars[i]) vs numeric \(numeric)", file: file, line: line)
                return
            }
        }
    }

    func up(_ h: HostTensor) throws -> Tensor { try backend.upload(h) }
    func down(_ t: Tensor) throws -> HostTensor { try backend.download(t) }

    func testConvolutionGradients() throws {
        for (shape, weightShape, g) in [
            ([2, 3, 7, 6], [4, 3, 3, 3], ConvGeometry(kernel: 3, stride: 1, padding: 1)),
            ([1, 2, 9, 8], [3, 2, 3, 3], ConvGeometry(kernel: 3, stride: 2, padding: 1)),
            ([2, 2, 7, 7], [2, 2, 3, 3], ConvGeometry(kernel: 3, stride: 1, padding: 2, dilation: 2)),
            ([1, 3, 5, 5], [2, 3, 1, 1], ConvGeometry(kernel: 1)),
        ] {
            let x = random.normalTensor(shape), w = random.normalTensor(weightShape, scale: 0.5)
            let b = random.normalTensor([weightShape[0]])
            let y = try backend.conv2d(up(x), weight: w, bias: b, geometry: g)
            let dy = random.normalTensor(y.shape)
            let grads = try backend.conv2dBackward(up(dy), x: up(x), weight: w, hasBias: true, geometry: g, needInputGradient: true)
            try assertGradient(down(grads.dx!), at: x, dy: dy, "conv dx \(g)") {
                try self.down(self.backend.conv2d(self.up($0), weight: w, bias: b, geometry: g))
            }
            try assertGradient(grads.dWeight, at: w, dy: dy, "conv dw \(g)") {
                try self.down(self.backend.conv2d(self.up(x), weight: $0, bias: b, geometry: g))
            }
            try assertGradient(grads.dBias!, at: b, dy: dy, "conv db \(g)") {
                try self.down(self.backend.conv2d(self.up(x), weight: w, bias: $0, geometry: g))
            }
        }
    }

    func testTransposedConvolutionGradients() throws {
        for (shape, weightShape, g) in [
            ([2, 3, 4, 5], [3, 2, 4, 4], ConvGeometry(kernel: 4, stride: 2, padding: 1)),
            ([1, 2, 5, 5], [2, 3, 3, 3], ConvGeometry(kernel: 3, stride: 1, padding: 1)),
            ([1, 2, 2, 3], [2, 2, 5, 5], ConvGeometry(kernel: 5, stride: 5)),
        ] {
            let x = random.normalTensor(shape), w = random.normalTensor(weightShape, scale: 0.5)
            let b = random.normalTensor([weightShape[1]])
            let y = try backend.convTranspose2d(up(x), weight: w, bias: b, geometry: g)
            let dy = random.normalTensor(y.shape)
            let grads = try backend.convTranspose2dBackward(up(dy), x: up(x), weight: w, hasBias: true, geometry: g,
                                                            needInputGradient: true)
            try assertGradient(down(grads.dx!), at: x, dy: dy, "tconv dx \(g)") {
                try self.down(self.backend.convTranspose2d(self.up($0), weight: w, bias: b, geometry: g))
            }
            try assertGradient(grads.dWeight, at: w, dy: dy, "tconv dw \(g)") {
                try self.down(self.backend.convTranspose2d(self.up(x), weight: $0, bias: b, geometry: g))
            }
            try assertGradient(grads.dBias!, at: b, dy: dy, "tconv db \(g)") {
                try self.down(self.backend.convTranspose2d(self.up(x), weight: w, bias: $0, geometry: g))
            }
        }
    }

    func testTransposedConvolutionOutputSize() throws {
        // PyTorch: ConvTranspose2d(k=4, s=2, p=1) doubles; (k=5, s=5) multiplies by 5.
        let x = try up(HostTensor(zeros: [1, 1, 3, 5]))
        let w = HostTensor(zeros: [1, 1, 4, 4])
        XCTAssertEqual(try backend.convTranspose2d(x, weight: w, bias: nil, geometry: ConvGeometry(kernel: 4, stride: 2, padding: 1)).shape, [1, 1, 6, 10])
    }

    func testMaxPoolGradient() throws {
        let x = random.normalTensor([2, 3, 6, 4])
        let (y, saved) = try backend.maxPool2x2(up(x))
        XCTAssertEqual(y.shape, [2, 3, 3, 2])
        let dy = random.normalTensor(y.shape)
        let dx = try down(backend.maxPool2x2Backward(up(dy), x: up(x), saved: saved))
        try assertGradient(dx, at: x, dy: dy, step: 1e-3, "maxpool dx") { try self.down(self.backend.maxPool2x2(self.up($0)).y) }
    }

    func testBatchNormGradients() throws {
        for fuse in [false, true] {
            let x = random.normalTensor([3, 5, 3, 4], scale: 2)
            let gamma = random.uniformTensor([5], 0.5, 1.5), beta = random.normalTensor([5], scale: 0.3)
            let forward = try backend.batchNormTraining(up(x), gamma: gamma, beta: beta, epsilon: 1e-5, fuseReLU: fuse)
            let dy = random.normalTensor(x.shape)
            let g = try backend.batchNormBackward(up(dy), x: up(x), y: forward.y, gamma: gamma, beta: beta, epsilon: 1e-5,
                                                  fuseReLU: fuse, saved: forward.saved)
            func run(_ x: HostTensor, _ gamma: HostTensor, _ beta: HostTensor) throws -> HostTensor {
                try down(backend.batchNormTraining(up(x), gamma: gamma, beta: beta, epsilon: 1e-5, fuseReLU: fuse).y)
            }
            try assertGradient(down(g.dx), at: x, dy: dy, step: 1e-3, "bn dx relu=\(fuse)") { try run($0, gamma, beta) }
            try assertGradient(g.dGamma, at: gamma, dy: dy, step: 1e-3, "bn dgamma relu=\(fuse)") { try run(x, $0, beta) }
            try assertGradient(g.dBeta, at: beta, dy: dy, step: 1e-3, "bn dbeta relu=\(fuse)") { try run(x, gamma, $0) }
        }
    }

    func testBatchNormStatisticsAreBiased() throws {
        let x = HostTensor(shape: [1, 1, 1, 4], scalars: [1, 2, 3, 4])
        let r = try backend.batchNormTraining(up(x), gamma: HostTensor(repeating: 1, shape: [1]),
                                              beta: HostTensor(zeros: [1]), epsilon: 0, fuseReLU: false)
        XCTAssertEqual(r.mean.scalars[0], 2.5, accuracy: 1e-6)
        XCTAssertEqual(r.variance.scalars[0], 1.25, accuracy: 1e-6)
    }

    func testElementwiseGradients() throws {
        let x = random.normalTensor([2, 3, 3, 5])
        let dy = random.normalTensor(x.shape)
        let y = try backend.relu(up(x))
        try assertGradient(down(backend.reluBackward(up(dy), y: y)), at: x, dy: dy, step: 1e-3, "relu dx") {
            try self.down(self.backend.relu(self.up($0)))
        }
        for factor in [2, 4] {
            let r = try backend.resizeNearest(up(x), factor: factor)
            XCTAssertEqual(r.shape, [2, 3, 3 * factor, 5 * factor])
            let dr = random.normalTensor(r.shape)
            try assertGradient(down(backend.resizeNearestBackward(up(dr), factor: factor)), at: x, dy: dr, "resize dx") {
                try self.down(self.backend.resizeNearest(self.up($0), factor: factor))
            }
        }
        let pooled = try backend.globalAveragePool(up(x))
        XCTAssertEqual(pooled.shape, [2, 3])
        let dp = random.normalTensor(pooled.shape)
        try assertGradient(down(backend.globalAveragePoolBackward(up(dp), inputShape: x.shape)), at: x, dy: dp, "gap dx") {
            try self.down(self.backend.globalAveragePool(self.up($0)))
        }
    }

    func testLinearGradients() throws {
        let x = random.normalTensor([3, 7]), w = random.normalTensor([4, 7]), b = random.normalTensor([4])
        let dy = random.normalTensor([3, 4])
        let g = try backend.linearBackward(up(dy), x: up(x), weight: w, needInputGradient: true)
        try assertGradient(down(g.dx!), at: x, dy: dy, "linear dx") { try self.down(self.backend.linear(self.up($0), weight: w, bias: b)) }
        try assertGradient(g.dWeight, at: w, dy: dy, "linear dw") { try self.down(self.backend.linear(self.up(x), weight: $0, bias: b)) }
        try assertGradient(g.dBias, at: b, dy: dy, "linear db") { try self.down(self.backend.linear(self.up(x), weight: w, bias: $0)) }
    }

    func testWeightedCrossEntropyGradientAndValue() throws {
        let z = random.normalTensor([2, 2, 3, 3])
        let labels: [UInt8] = (0..<18).map { UInt8($0 % 3 == 0 ? 1 : 0) }
        let (loss, dz) = try backend.weightedCrossEntropy(up(z), labels: labels, positiveWeight: 18)
        // Direct evaluation of the definition.
        var expected: Double = 0
        for n in 0..<2 { for p in 0..<9 {
            let z0 = Double(z.scalars[(n * 2) * 9 + p]), z1 = Double(z.scalars[(n * 2 + 1) * 9 + p])
            let label = labels[n * 9 + p]
            let ce = log(exp(z0) + exp(z1)) - (label == 1 ? z1 : z0)
            expected += (label == 1 ? 18 : 1) * ce
        } }
        XCTAssertEqual(Double(loss), expected / 18, accuracy: 1e-5)
        let one = HostTensor(repeating: 1, shape: [1])
        try assertGradient(down(dz), at: z, dy: one, step: 1e-3, "ce dz") {
            HostTensor(shape: [1], scalars: [try self.backend.weightedCrossEntropy(self.up($0), labels: labels, positiveWeight: 18).loss])
        }
        XCTAssertThrowsError(try backend.weightedCrossEntropy(up(z), labels: [UInt8](repeating: 2, count: 18), positiveWeight: 1))
    }

    func testSoftmaxSumsToOne() throws {
        let z = random.normalTensor([2, 3, 2, 2], scale: 3)
        let p = try down(backend.softmax(up(z)))
        for n in 0..<2 { for q in 0..<4 {
            let s = (0..<3).reduce(Float(0)) { $0 + p.scalars[(n * 3 + $1) * 4 + q] }
            XCTAssertEqual(s, 1, accuracy: 1e-6)
        } }
    }
}
