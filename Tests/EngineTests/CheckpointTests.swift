import Foundation
import XCTest
@testable import Engine

final class CheckpointTests: XCTestCase {
    var folder: TemporaryFolder!

    override func setUpWithError() throws { folder = try TemporaryFolder() }
    override func tearDown() { folder.remove() }

    let metadata = ["arch": "dilated-resize", "size": "64", "width": "0.25", "epoch": "3"]

    /// A tiny segmenter-like parameter set: encoder conv + batch norm, and a logits conv.
    func segmenter(seed: Float = 0) -> [Parameter] {
        func ramp(_ shape: [Int], _ offset: Float) -> HostTensor {
            HostTensor(shape: shape, scalars: (0 ..< shape.reduce(1, *)).map { Float($0) * 0.01 + offset + seed })
        }
        return [Parameter(name: "encoder.conv1.conv.weight", value: ramp([4, 1, 3, 3], 0)),
                Parameter(name: "encoder.conv1.conv.bias", value: ramp([4], 1)),
                Parameter(name: "encoder.conv1.bn.weight", value: ramp([4], 2)),
                Parameter(name: "encoder.conv1.bn.bias", value: ramp([4], 3)),
                Parameter(name: "encoder.conv1.bn.running_mean", value: ramp([4], 4), kind: .buffer),
                Parameter(name: "encoder.conv1.bn.running_var", value: ramp([4], 5), kind: .buffer),
                Parameter(name: "logits.weight", value: ramp([2, 4, 1, 1], 6)),
                Parameter(name: "logits.bias", value: ramp([2], 7))]
    }

    func testSaveLoadApplyRoundTrip() throws {
        let path = folder.file("best.safetensors")
        let saved = segmenter(seed: 0.5)
        try Checkpoint.save(parameters: saved, optimizer: nil, metadata: metadata, to: path)

        let checkpoint = try Checkpoint.load(path)
        XCTAssertEqual(checkpoint.file, path)
        XCTAssertEqual(checkpoint.architecture, "dilated-resize")
        XCTAssertEqual(checkpoint.metadata, metadata.merging(["format": "mammoseg-checkpoint", "format_version": "1"]) { a, _ in a })
        XCTAssertTrue(checkpoint.optimizerState.isEmpty)
        XCTAssertEqual(Set(checkpoint.tensors.keys), Set(saved.map(\.name)))

        let restored = segmenter()
        let report = try checkpoint.apply(to: restored, strict: true)
        XCTAssertEqual(report.loaded, saved.map(\.name))
        XCTAssertEqual(report.skipped, [])
        for (a, b) in zip(saved, restored) {
            XCTAssertEqual(bits(a.value.scalars), bits(b.value.scalars), a.name)
        }
        XCTAssertThrowsError(try checkpoint.restore(Adam(), parameters: restored)) { error in
            XCTAssertTrue("\(error)".contains("no optimizer.step"), "\(error)")
        }
    }

    func testTrainingCheckpointHoldsOptimizerStateUnderOptimizerNames() throws {
        let parameters = segmenter()
        freeze(parameters, prefix: "encoder.")
        for parameter in parameters where parameter.kind == .weight {
            parameter.accumulateGradient(HostTensor(repeating: 0.1, shape: parameter.shape))
        }
        let adam = Adam(learningRate: 1e-3)
        adam.update(parameters)
        let path = folder.file("epoch-001.safetensors")
        try Checkpoint.save(parameters: parameters, optimizer: adam, metadata: metadata, to: path)

        // For checking by hand with Python: make_safetensors_fixtures.py --verify <file> --expect ''.
        if let keep = ProcessInfo.processInfo.environment["MAMMOSEG_TEST_OUTPUT"] {
            try Checkpoint.save(parameters: parameters, optimizer: adam, metadata: metadata, to: "\(keep)/mammoseg_checkpoint.safetensors")
        }
        let file = try SafeTensorsFile.read(path: path)
        XCTAssertEqual(Set(file.tensors.keys.filter { $0.hasPrefix("optimizer.") }),
                       ["optimizer.step", "optimizer.logits.weight.exp_avg", "optimizer.logits.weight.exp_avg_sq",
                        "optimizer.logits.bias.exp_avg", "optimizer.logits.bias.exp_avg_sq"])
        XCTAssertEqual(file.tensors["optimizer.logits.weight.exp_avg"]?.shape, [2, 4, 1, 1])
        let checkpoint = try Checkpoint.load(path)
        XCTAssertEqual(checkpoint.optimizerState.count, 5)
        XCTAssertEqual(checkpoint.tensors.count, parameters.count, "optimizer tensors are not model tensors")
        XCTAssertEqual(try checkpoint.apply(to: segmenter(), strict: true).loaded.count, parameters.count)
    }

    func testStrictApplyNamesFileAndTensorAndChangesNothing() throws {
        let path = folder.file("model.safetensors")
        try Checkpoint.save(parameters: segmenter(seed: 1), optimizer: nil, metadata: metadata, to: path)
        let checkpoint = try Checkpoint.load(path)

        var missing = segmenter()
        missing.append(Parameter(name: "decoder.up1.weight", value: HostTensor(zeros: [1])))
        var unexpected = segmenter()
        unexpected.removeAll { $0.name == "logits.bias" }
        var mismatched = segmenter()
        mismatched[6] = Parameter(name: "logits.weight", value: HostTensor(zeros: [2, 4]))

        for (parameters, fragment) in [(missing, "tensor 'decoder.up1.weight': missing from the checkpoint"),
                                       (unexpected, "tensor 'logits.bias': not in the model"),
                                       (mismatched, "tensor 'logits.weight': shape [2, 4, 1, 1] in the checkpoint, [2, 4] in the model")] {
            let before = parameters.map { bits($0.value.scalars) }
            XCTAssertThrowsError(try checkpoint.apply(to: parameters, strict: true)) { error in
                let message = "\(error)"
                XCTAssertTrue(message.hasPrefix("\(path): \(fragment)"), message)
                XCTAssertFalse(message.contains("\n"))
            }
            XCTAssertEqual(parameters.map { bits($0.value.scalars) }, before, "strict failure leaves the model untouched")
        }
    }

    func testNonStrictApplyTransfersMatchingTensors() throws {
        // A classifier checkpoint: same encoder, but linear logits and an fc1 layer.
        let classifier = Array(segmenter(seed: 2).prefix(6)) + [
            Parameter(name: "fc1.weight", value: HostTensor(zeros: [4, 4])),
            Parameter(name: "logits.weight", value: HostTensor(zeros: [2, 4])),
            Parameter(name: "logits.bias", value: HostTensor(repeating: 9, shape: [2])),
        ]
        let path = folder.file("classifier.safetensors")
        try Checkpoint.save(parameters: classifier, optimizer: nil,
                            metadata: ["arch": "classifier", "size": "64", "width": "0.25"], to: path)

        let model = segmenter()
        let report = try Checkpoint.load(path).apply(to: model, strict: false)
        XCTAssertEqual(report.loaded, classifier.prefix(6).map(\.name) + ["logits.bias"])
        XCTAssertEqual(report.skipped, [
            .init(name: "logits.weight", reason: "shape [2, 4] in the checkpoint, [2, 4, 1, 1] in the model"),
            .init(name: "fc1.weight", reason: "not in the model"),
        ])
        for (source, target) in zip(classifier.prefix(6), model.prefix(6)) {
            XCTAssertEqual(bits(source.value.scalars), bits(target.value.scalars), source.name)
        }
        XCTAssertEqual(model[6].value, segmenter()[6].value, "skipped tensor unchanged")
    }

    func testLoadsPlainStateDictSavedByPyTorch() throws {
        let checkpoint = try Checkpoint.load(try Fixtures.path("torch_state_dict.safetensors", in: "safetensors"))
        XCTAssertEqual(checkpoint.tensors["block.conv.weight"]?.shape, [4, 3, 3, 3])
        XCTAssertEqual(checkpoint.tensors.count, 8)
    }

    func testRejectsMissingMetadataAndForeignFormats() throws {
        let path = folder.file("x.safetensors")
        XCTAssertThrowsError(try Checkpoint.save(parameters: segmenter(), optimizer: nil, metadata: ["arch": "a"], to: path)) { error in
            XCTAssertEqual("\(error)", "\(path): metadata lacks size, width; pass arch, size and width when saving")
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: path))

        try SafeTensorsFile(tensors: [:], metadata: ["format": "other-tool"]).write(to: path)
        XCTAssertThrowsError(try Checkpoint.load(path)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(path): metadata format is 'other-tool'"), "\(error)")
        }
        try SafeTensorsFile(tensors: [:], metadata: ["format": "mammoseg-checkpoint", "format_version": "7"]).write(to: path)
        XCTAssertThrowsError(try Checkpoint.load(path)) { error in
            XCTAssertTrue("\(error)".hasPrefix("\(path): format_version 7"), "\(error)")
        }
    }
}
