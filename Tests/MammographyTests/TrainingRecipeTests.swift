import Engine
@testable import Mammography
import XCTest

/// The parts of the recipe that keep a run from collapsing at its start: warm-up, gradient
/// clipping with PyTorch's semantics, the constant-output detector and the weight average.
final class TrainingRecipeTests: XCTestCase {
    func testLinearWarmUpReachesTheRateAfterItsSteps() {
        XCTAssertEqual(Trainer.warmupFactor(step: 0, warmupSteps: 100), 0.01, accuracy: 1e-12)
        XCTAssertEqual(Trainer.warmupFactor(step: 49, warmupSteps: 100), 0.5, accuracy: 1e-12)
        XCTAssertEqual(Trainer.warmupFactor(step: 99, warmupSteps: 100), 1)
        XCTAssertEqual(Trainer.warmupFactor(step: 5000, warmupSteps: 100), 1)
        XCTAssertEqual(Trainer.warmupFactor(step: 0, warmupSteps: 0), 1, "0 switches warm-up off")
        XCTAssertEqual(TrainingConfiguration(data: "d", architecture: "dilated-resize").warmupSteps, 100, "on by default")
    }

    /// A configuration saved before warm-up existed decodes without it (that run had none).
    func testOldConfigurationsDecodeWithoutWarmUp() throws {
        var old = try JSONSerialization.jsonObject(
            with: JSONEncoder().encode(TrainingConfiguration(data: "d", architecture: "dilated-resize"))) as! [String: Any]
        old["warmupSteps"] = nil; old["clipGradientNorm"] = nil; old["emaDecay"] = nil
        let decoded = try JSONDecoder().decode(TrainingConfiguration.self, from: JSONSerialization.data(withJSONObject: old))
        XCTAssertNil(decoded.warmupSteps)
        XCTAssertNil(decoded.emaDecay)
    }

    /// `--scale-jitter j` reaches the loader as [1 − j, 1 + j]; a run saved before the option
    /// existed had the study's 0.2 and resumes with it (and is the same experiment as 0.2).
    func testScaleJitterReachesTheLoaderAndOldRunsKeepTheStudys() throws {
        var c = TrainingConfiguration(data: "d", architecture: "dilated-resize")
        XCTAssertEqual(Trainer.loaderConfiguration(c).scaleRange, 0.8...1.2, "the study's jitter by default")
        c.scaleJitter = 0
        XCTAssertEqual(Trainer.loaderConfiguration(c).scaleRange, 1...1, "0 switches it off")
        var old = try JSONSerialization.jsonObject(
            with: JSONEncoder().encode(TrainingConfiguration(data: "d", architecture: "dilated-resize"))) as! [String: Any]
        old["scaleJitter"] = nil
        let decoded = try JSONDecoder().decode(TrainingConfiguration.self, from: JSONSerialization.data(withJSONObject: old))
        XCTAssertNil(decoded.scaleJitter)
        XCTAssertEqual(Trainer.loaderConfiguration(decoded).scaleRange, 0.8...1.2)
        XCTAssertTrue(decoded.sameExperiment(as: TrainingConfiguration(data: "d", architecture: "dilated-resize")))
        XCTAssertFalse(decoded.sameExperiment(as: c), "a different jitter is a different experiment")
    }

    /// Numbers from `torch.nn.utils.clip_grad_norm_([a, b], 1.0)` with a.grad = [3, 4], b.grad = [12]:
    /// total norm 13, every gradient × 1/(13 + 1e-6).
    func testClippingScalesTheGlobalNormAsPyTorch() {
        let a = Parameter(name: "a", value: HostTensor(zeros: [2])), b = Parameter(name: "b", value: HostTensor(zeros: [1]))
        a.gradient = HostTensor(shape: [2], scalars: [3, 4]); b.gradient = HostTensor(shape: [1], scalars: [12])
        XCTAssertEqual(Trainer.clipGradients([a, b], maxNorm: 1), 13, accuracy: 1e-9)
        let c = Float(1 / (13 + 1e-6))
        XCTAssertEqual(a.gradient.scalars, [3 * c, 4 * c])
        XCTAssertEqual(b.gradient.scalars, [12 * c])
        // Below the limit nothing changes.
        a.gradient = HostTensor(shape: [2], scalars: [0.3, 0.4]); b.gradient = HostTensor(shape: [1], scalars: [0])
        Trainer.clipGradients([a, b], maxNorm: 1)
        XCTAssertEqual(a.gradient.scalars, [0.3, 0.4])
    }

    func testConstantOutputIsDetected() {
        // A collapsed network: every pixel gets the last layer's bias.
        let constant = HostTensor(shape: [2, 2, 4, 4], scalars: (0..<64).map { $0 % 32 < 16 ? 0.3 : -1.2 })
        XCTAssertTrue(Trainer.isConstant(constant))
        var varying = constant
        varying.scalars[40] += 0.01
        XCTAssertFalse(Trainer.isConstant(varying))
        // Both logits may vary together; only their margin decides the output.
        let shifted = HostTensor(shape: [1, 2, 2, 2], scalars: [0, 1, 2, 3, 1, 2, 3, 4])
        XCTAssertTrue(Trainer.isConstant(shifted))
    }

    func testWeightAverageFollowsTheDecayAndSwaps() {
        let w = Parameter(name: "w", value: HostTensor(shape: [1], scalars: [0]))
        let buffer = Parameter(name: "m", value: HostTensor(shape: [1], scalars: [5]), kind: .buffer)
        let average = WeightAverage(decay: 0.9, parameters: [w, buffer])
        w.value = HostTensor(shape: [1], scalars: [1]); buffer.value = HostTensor(shape: [1], scalars: [7])
        average.update([w, buffer])  // d = min(0.9, 1/10) = 0.1 → 0.1·0 + 0.9·1
        XCTAssertEqual(average.stateTensors([w])[WeightAverage.statePrefix + "w"]!.scalars[0], 0.9, accuracy: 1e-6)
        average.swap([w, buffer])
        XCTAssertEqual(w.value.scalars[0], 0.9, accuracy: 1e-6)
        XCTAssertEqual(buffer.value.scalars[0], 7, "buffers are copied")
        average.swap([w, buffer])
        XCTAssertEqual(w.value.scalars[0], 1, "swapping back restores the trained weights")
    }
}
