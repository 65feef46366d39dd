import XCTest
@testable import Engine
import DNNLBackend

/// conv → BN → ReLU → pool → conv → resize → transposed conv (logits), trained with Adam
/// on one fixed batch: the loss must fall ≥ 10× in 200 steps, and the oneDNN backend must
/// track the reference backend step by step from the same initial weights.
final class TinyNetworkTrainingTests: XCTestCase {
    final class TinyNetwork: Layer {
        // No bias before batch norm: its true gradient is 0, and Adam would turn the sign
        // of rounding noise there into ±lr steps that differ between backends.
        let conv1: Conv2D
        let bn: BatchNorm2D
        let conv: Conv2D
        let up: ConvTranspose2D

        init(seed: UInt64) {
            var random = SeededGenerator(seed: seed)
            conv1 = Conv2D(name: "conv1", inChannels: 1, outChannels: 5, kernel: 3, padding: 1, bias: false, random: &random)
            bn = BatchNorm2D(name: "bn", channels: 5, appliesReLU: true)
            conv = Conv2D(name: "conv", inChannels: 5, outChannels: 6, kernel: 3, padding: 1, random: &random)
            up = ConvTranspose2D(name: "up", inChannels: 6, outChannels: 2, kernel: 3, stride: 1, padding: 1, random: &random)
        }

        var parameters: [Parameter] { conv1.parameters + bn.parameters + conv.parameters + up.parameters }

        func callAsFunction(_ x: Variable, _ ctx: Context) throws -> Variable {
            var h = try bn(conv1(x, ctx), ctx)
            h = try Op.maxPool2x2(h, ctx)
            h = try Op.relu(conv(h, ctx), ctx)
            h = try Op.resizeNearest(h, factor: 2, ctx)
            return try up(h, ctx)
        }
    }

    /// A fixed batch: bright discs on noise, labelled by the disc.
    static func batch() -> (HostTensor, [UInt8]) {
        var random = SeededGenerator(seed: 3)
        let (n, s) = (2, 10)
        var image = [Float](repeating: 0, count: n * s * s), labels = [UInt8](repeating: 0, count: n * s * s)
        for b in 0..<n { for y in 0..<s { for x in 0..<s {
            let inside = (x - 3 - 3 * b) * (x - 3 - 3 * b) + (y - 5) * (y - 5) <= 5
            image[b * s * s + y * s + x] = random.uniform(0, 0.5) + (inside ? 0.5 : 0)
            labels[b * s * s + y * s + x] = inside ? 1 : 0
        } } }
        return (HostTensor(shape: [n, 1, s, s], scalars: image), labels)
    }

    func train(_ backend: Backend, steps: Int) throws -> [Float] {
        let network = TinyNetwork(seed: 11)
        let adam = Adam(learningRate: 0.01)
        let (x, labels) = Self.batch()
        var losses: [Float] = []
        for _ in 0..<steps {
            let ctx = Context(backend: backend, training: true)
            let logits = try network(ctx.input(x), ctx)
            losses.append(try Op.weightedCrossEntropyBackward(logits, labels: labels, positiveWeight: 3, ctx))
            adam.update(network.parameters)
        }
        return losses
    }

    func testLossFallsTenfoldOnReferenceBackend() throws {
        let losses = try train(ReferenceBackend(), steps: 200)
        XCTAssertLessThan(losses.last!, losses.first! / 10, "loss \(losses.first!) → \(losses.last!)")
    }

    func testOneDNNTracksReferenceStepByStep() throws {
        let steps = 200
        let reference = try train(ReferenceBackend(), steps: steps)
        let fast = try train(DNNLBackend(), steps: steps)
        XCTAssertLessThan(fast.last!, fast.first! / 10)
        XCTAssertEqual(fast[0], reference[0], accuracy: 1e-5 * max(1, reference[0]), "same weights, same loss")
        var worst: Float = 0
        for i in 0..<steps { worst = max(worst, abs(fast[i] - reference[i]) / max(reference[i], 1e-3)) }
        print("largest relative loss difference over \(steps) steps: \(worst)")
        for i in 0..<steps {
            let tolerance: Float = i < 10 ? 2e-3 : 5e-2
            XCTAssertEqual(fast[i], reference[i], accuracy: tolerance * max(reference[i], 1e-3), "step \(i)")
        }
    }
}
