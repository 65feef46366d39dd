import Engine
import Mammography
import XCTest

/// One training step of dilated-resize equals PyTorch's (train-mode forward, weighted CE
/// with pos_weight 18, backward, Adam lr 1e-3), and a frozen encoder stays bit-identical.
final class TrainingStepParityTests: XCTestCase {
    static let fixture = "dilated-resize.train-step.safetensors"

    struct StepFixture {
        let tensors: [String: HostTensor]
        let size: Int
        let width: Double
        let labels: [UInt8]

        init() throws {
            let file = try ModelFixtures.read(TrainingStepParityTests.fixture)
            tensors = file.tensors
            size = try XCTUnwrap(file.metadata["size"].flatMap(Int.init))
            width = try XCTUnwrap(file.metadata["width"].flatMap(Double.init))
            labels = try XCTUnwrap(file.tensors["labels"]).scalars.map { $0 > 0.5 ? 1 : 0 }
        }

        /// dilated-resize with the "before." tensors.
        func model() throws -> any SegmentationModel {
            let model = try makeModel(.dilatedResize, width: width, seed: 9)
            let before = Dictionary(uniqueKeysWithValues: tensors.compactMap { name, value in
                name.hasPrefix("before.") ? (String(name.dropFirst("before.".count)), value) : nil
            })
            try Checkpoint(file: TrainingStepParityTests.fixture, tensors: before, metadata: [:])
                .apply(to: model.parameters, strict: true)
            return model
        }

        /// Forward in training mode, loss and backward; returns the loss.
        @discardableResult
        func forwardBackward(_ model: any SegmentationModel, _ backend: Backend) throws -> Float {
            let ctx = Context(backend: backend, training: true)
            let logits = try model(try ctx.input(ModelFixtures.input(size: size)), ctx)
            return try Op.weightedCrossEntropyBackward(logits, labels: labels, positiveWeight: 18, ctx)
        }
    }

    func testOneAdamStepMatchesPyTorch() throws {
        let fixture = try StepFixture()
        let learningRate: Float = 1e-3
        for backend in try ModelFixtures.backends() {
            let model = try fixture.model()
            let before = model.parameters.map(\.value)
            let loss = try fixture.forwardBackward(model, backend)
            let expectedLoss = try XCTUnwrap(fixture.tensors["loss"]).scalars[0]
            XCTAssertEqual(loss, expectedLoss, accuracy: 1e-5 * max(1, abs(expectedLoss)), backend.name)

            // Gradients: within 1e-3 of each tensor's largest |g| (plus 2e-7 for tensors whose
            // true gradient is 0, such as conv biases before batch norm: there both sides hold
            // only rounding noise, whose size depends on the summation order — 1.03e-7 for
            // encoder.conv1.conv.bias once thin layers run channels-last).
            for parameter in model.parameters where parameter.kind == .weight {
                let expected = try XCTUnwrap(fixture.tensors["grad." + parameter.name], parameter.name)
                let scale = expected.scalars.map(abs).max() ?? 0
                let error = maxAbsoluteDifference(parameter.gradient.scalars, expected.scalars)
                XCTAssertLessThanOrEqual(error, 1e-3 * scale + 2e-7, "\(backend.name) grad \(parameter.name)")
            }
            let gradients = Dictionary(uniqueKeysWithValues: model.parameters.map { ($0.name, $0.gradient) })
            Adam(learningRate: learningRate).update(model.parameters)

            // Updated weights and running statistics within 1e-4 absolute. Adam's first step is
            // ≈ lr·g/|g|, so where PyTorch's |g| < 1e-6 (noise-sized) the direction is noise
            // on either side; there the test only requires a step of at most lr.
            for (index, parameter) in model.parameters.enumerated() {
                let expected = try XCTUnwrap(fixture.tensors["after." + parameter.name], parameter.name)
                let torchGradient = fixture.tensors["grad." + parameter.name]
                for i in 0..<expected.count {
                    let value = parameter.value.scalars[i]
                    if let g = torchGradient?.scalars[i], abs(g) < 1e-6 || abs(gradients[parameter.name]!.scalars[i]) < 1e-6 {
                        XCTAssertLessThanOrEqual(abs(value - before[index].scalars[i]), learningRate * 1.001,
                                                 "\(backend.name) \(parameter.name)[\(i)]")
                    } else {
                        XCTAssertEqual(value, expected.scalars[i], accuracy: 1e-4 * max(1, abs(expected.scalars[i])),
                                       "\(backend.name) \(parameter.name)[\(i)]")
                    }
                }
            }
        }
    }

    func testFrozenEncoderStaysBitIdentical() throws {
        let fixture = try StepFixture()
        for backend in try ModelFixtures.backends() {
            let model = try fixture.model()
            let frozen = model.setEncoderFrozen(true)
            XCTAssertEqual(frozen.count, model.encoderParameters.filter { $0.kind == .weight }.count)
            let before = model.parameters.map(\.value)
            try fixture.forwardBackward(model, backend)
            Adam(learningRate: 1e-3).update(model.parameters)
            for (parameter, old) in zip(model.parameters, before) {
                if parameter.name.hasPrefix("encoder.") {
                    XCTAssertEqual(parameter.value, old, "\(backend.name): \(parameter.name) changed while frozen")
                }
            }
            // The decoder did train (weights moved, running statistics updated).
            let changed = zip(model.parameters, before).filter { !$0.0.name.hasPrefix("encoder.") && $0.0.value != $0.1 }
            XCTAssertTrue(changed.contains { $0.0.name == "up1.bn.running_mean" }, backend.name)
            XCTAssertTrue(changed.contains { $0.0.name == "logits.weight" }, backend.name)

            model.setEncoderFrozen(false)
            XCTAssertTrue(model.encoderParameters.filter { $0.kind == .weight }.allSatisfy(\.isTrainable))
        }
    }
}
