import Foundation
import XCTest
@testable import Engine

final class AdamTests: XCTestCase {
    struct Trajectory: Decodable {
        struct Hyperparameters: Decodable {
            let lr: Float, beta1: Double, beta2: Double, eps: Float
            let weight_decay: Float
        }
        struct Step: Decodable {
            let gradients: [String: FixtureTensor]
            let params: [String: FixtureTensor]
            let exp_avg: [String: FixtureTensor]
            let exp_avg_sq: [String: FixtureTensor]
        }
        let hyperparameters: Hyperparameters
        let initial: [String: FixtureTensor]
        let steps: [Step]
    }

    func testMatchesPyTorchAdamTrajectory() throws {
        let trajectory = try Fixtures.decodeJSON(Trajectory.self, "adam_trajectory.json", in: "safetensors")
        let h = trajectory.hyperparameters
        let adam = Adam(learningRate: h.lr, beta1: h.beta1, beta2: h.beta2, epsilon: h.eps, weightDecay: h.weight_decay)
        let parameters = trajectory.initial.keys.sorted().map { Parameter(name: $0, value: trajectory.initial[$0]!.hostTensor) }
        XCTAssertEqual(trajectory.steps.count, 5)

        for (index, expected) in trajectory.steps.enumerated() {
            for parameter in parameters {
                parameter.accumulateGradient(expected.gradients[parameter.name]!.hostTensor)
            }
            adam.update(parameters)
            let state = adam.stateTensors()
            XCTAssertEqual(state[Adam.stepStateName]?.scalars, [Float(index + 1)])
            for parameter in parameters {
                let name = parameter.name
                let context = "step \(index + 1), \(name)"
                XCTAssertLessThanOrEqual(maxRelativeError(parameter.value.scalars, expected.params[name]!.values), 1e-6, context)
                XCTAssertEqual(state["optimizer.\(name).exp_avg"]?.shape, parameter.shape)
                XCTAssertLessThanOrEqual(maxRelativeError(state["optimizer.\(name).exp_avg"]!.scalars,
                                                          expected.exp_avg[name]!.values), 1e-6, context)
                XCTAssertLessThanOrEqual(maxRelativeError(state["optimizer.\(name).exp_avg_sq"]!.scalars,
                                                          expected.exp_avg_sq[name]!.values), 1e-6, context)
                XCTAssertTrue(parameter.gradient.scalars.allSatisfy { $0 == 0 }, "gradients cleared after the step")
            }
        }
    }

    func testFrozenParametersAndBuffersStayBitIdentical() throws {
        let trained = Parameter(name: "decoder.weight", value: HostTensor(shape: [3], scalars: [1, -2, 0.5]))
        let frozen = Parameter(name: "encoder.conv.weight", value: HostTensor(shape: [2, 2], scalars: [0.1, -0.0, .pi, -7]))
        let buffer = Parameter(name: "encoder.bn.running_var", value: HostTensor(shape: [2], scalars: [1, 2]), kind: .buffer)
        let parameters = [trained, frozen, buffer]
        XCTAssertEqual(freeze(parameters, prefix: "encoder."), ["encoder.conv.weight"])
        XCTAssertFalse(frozen.isTrainable)
        let frozenBefore = bits(frozen.value.scalars), bufferBefore = bits(buffer.value.scalars)

        let adam = Adam(learningRate: 0.1, weightDecay: 0.01)
        for _ in 0 ..< 3 {
            trained.accumulateGradient(HostTensor(repeating: 1, shape: [3]))
            frozen.accumulateGradient(HostTensor(repeating: 5, shape: [2, 2]))
            buffer.accumulateGradient(HostTensor(repeating: 5, shape: [2]))
            adam.update(parameters)
        }
        XCTAssertEqual(bits(frozen.value.scalars), frozenBefore)
        XCTAssertEqual(bits(buffer.value.scalars), bufferBefore)
        XCTAssertNotEqual(trained.value.scalars, [1, -2, 0.5])
        XCTAssertEqual(Set(adam.stateTensors().keys),
                       ["optimizer.step", "optimizer.decoder.weight.exp_avg", "optimizer.decoder.weight.exp_avg_sq"])
        XCTAssertTrue(frozen.gradient.scalars.allSatisfy { $0 == 0 }, "frozen gradients cleared too")

        XCTAssertEqual(unfreeze(parameters) { $0.hasPrefix("encoder.") }, ["encoder.conv.weight"])
        XCTAssertTrue(frozen.isTrainable)
        XCTAssertFalse(buffer.isTrainable, "buffers are never made trainable")
    }

    func testFirstStepMovesEachWeightByTheLearningRate() {
        // With m = (1-β1)g, v = (1-β2)g², bias correction makes the first step exactly lr·sign(g) (up to ε).
        let parameter = Parameter(name: "w", value: HostTensor(shape: [3], scalars: [0, 0, 0]))
        parameter.accumulateGradient(HostTensor(shape: [3], scalars: [3, -0.002, 1e4]))
        Adam(learningRate: 0.01).update([parameter])
        XCTAssertEqual(parameter.value.scalars[0], -0.01, accuracy: 1e-7)
        XCTAssertEqual(parameter.value.scalars[1], 0.01, accuracy: 1e-6)
        XCTAssertEqual(parameter.value.scalars[2], -0.01, accuracy: 1e-7)
    }

    func testStateRestoredFromCheckpointContinuesIdentically() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        func makeParameters() -> [Parameter] {
            [Parameter(name: "a.weight", value: HostTensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6])),
             Parameter(name: "a.bias", value: HostTensor(shape: [2], scalars: [-1, 1]))]
        }
        func gradients(_ step: Int) -> [HostTensor] {
            [HostTensor(shape: [2, 3], scalars: (0 ..< 6).map { Float($0 - step) * 0.3 }),
             HostTensor(shape: [2], scalars: [Float(step), -0.5])]
        }
        func train(_ adam: Adam, _ parameters: [Parameter], steps: Range<Int>) {
            for step in steps {
                zip(parameters, gradients(step)).forEach { $0.accumulateGradient($1) }
                adam.update(parameters)
            }
        }
        let original = makeParameters()
        let adam = Adam(learningRate: 0.05, weightDecay: 1e-3)
        train(adam, original, steps: 0 ..< 2)
        let path = folder.file("epoch-002.safetensors")
        try Checkpoint.save(parameters: original, optimizer: adam, metadata: ["arch": "t", "size": "32", "width": "1"], to: path)

        let resumed = makeParameters()
        let resumedAdam = Adam(learningRate: 0.05, weightDecay: 1e-3)
        let checkpoint = try Checkpoint.load(path)
        try checkpoint.apply(to: resumed, strict: true)
        try checkpoint.restore(resumedAdam, parameters: resumed)
        XCTAssertEqual(resumedAdam.step, 2)

        train(adam, original, steps: 2 ..< 5)
        train(resumedAdam, resumed, steps: 2 ..< 5)
        for (a, b) in zip(original, resumed) {
            XCTAssertEqual(bits(a.value.scalars), bits(b.value.scalars), a.name)
        }
    }

    func testLoadStateRejectsMismatchedState() throws {
        let parameters = [Parameter(name: "w", value: HostTensor(zeros: [2]))]
        let step = HostTensor(shape: [1], scalars: [3])
        let cases: [([String: HostTensor], String)] = [
            ([:], "no optimizer.step"),
            (["optimizer.step": HostTensor(shape: [1], scalars: [2.5])], "whole number"),
            (["optimizer.step": step, "optimizer.w.exp_avg": HostTensor(zeros: [3]), "optimizer.w.exp_avg_sq": HostTensor(zeros: [3])],
             "'optimizer.w.exp_avg' has shape [3]"),
            (["optimizer.step": step, "optimizer.v.exp_avg": HostTensor(zeros: [2])], "'optimizer.v.exp_avg' belongs to no weight"),
            (["optimizer.step": step, "optimizer.w.exp_avg": HostTensor(zeros: [2])], "'optimizer.w.exp_avg_sq' is missing"),
            (["optimizer.step": step, "optimizer.w.momentum": HostTensor(zeros: [2])], "unexpected optimizer tensor 'optimizer.w.momentum'"),
        ]
        for (state, fragment) in cases {
            XCTAssertThrowsError(try Adam().loadState(state, parameters: parameters, file: "ck.safetensors")) { error in
                let message = "\(error)"
                XCTAssertTrue(message.hasPrefix("ck.safetensors: ") && message.contains(fragment), "\(message) lacks \(fragment)")
            }
        }
    }
}

final class LearningRateScheduleTests: XCTestCase {
    func testStaircaseDecay() throws {
        let schedule = try LearningRateSchedule(base: 1e-3)
        XCTAssertEqual(schedule.factor, 0.85)
        XCTAssertEqual(schedule.every, 10)
        for epoch in 0 ..< 10 { XCTAssertEqual(schedule.learningRate(epoch: epoch), 1e-3) }
        XCTAssertEqual(schedule.learningRate(epoch: 10), 0.85e-3, accuracy: 1e-10)
        XCTAssertEqual(schedule.learningRate(epoch: 19), 0.85e-3, accuracy: 1e-10)
        XCTAssertEqual(schedule.learningRate(epoch: 25), 0.7225e-3, accuracy: 1e-9)
        XCTAssertEqual(schedule.learningRate(epoch: 100), Float(1e-3 * pow(0.85, 10.0)), accuracy: 1e-10)
        let custom = try LearningRateSchedule(base: 0.1, factor: 0.5, every: 3)
        XCTAssertEqual((0 ..< 7).map(custom.learningRate(epoch:)), [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025])
    }

    func testConstant() throws {
        let schedule = try LearningRateSchedule.constant(3e-4)
        XCTAssertEqual([0, 9, 10, 1000].map(schedule.learningRate(epoch:)), [3e-4, 3e-4, 3e-4, 3e-4])
    }

    func testInvalidSettingsThrow() {
        XCTAssertThrowsError(try LearningRateSchedule(base: 0))
        XCTAssertThrowsError(try LearningRateSchedule(base: .nan))
        XCTAssertThrowsError(try LearningRateSchedule(base: 1e-3, factor: 1.5))
        XCTAssertThrowsError(try LearningRateSchedule(base: 1e-3, factor: 0))
        XCTAssertThrowsError(try LearningRateSchedule(base: 1e-3, every: 0))
    }
}
