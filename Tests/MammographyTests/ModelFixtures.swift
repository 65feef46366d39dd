import DNNLBackend
import Engine
import Foundation
import Mammography
import XCTest

/// Access to Fixtures/models (made by scripts/fixtures/make_model_fixtures.py from
/// reference/models.py) and the inputs both sides compute.
enum ModelFixtures {
    static func path(_ file: String) throws -> String {
        let url = try XCTUnwrap(Bundle.module.resourceURL?.appendingPathComponent("Fixtures/models/\(file)"),
                                "test bundle has no resources")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw XCTSkip("fixture \(file) missing; run scripts/fixtures/make_model_fixtures.py")
        }
        return url.path
    }

    static func read(_ file: String) throws -> SafeTensorsFile {
        try SafeTensorsFile.read(path: try path(file))
    }

    /// The fixture input batch, exact in float32 on both sides:
    /// x[n, 0, i, j] = ((31·i + 17·j + 7·n) mod 97) / 96.
    static func input(batch: Int = 2, size: Int) -> HostTensor {
        var scalars: [Float] = []
        scalars.reserveCapacity(batch * size * size)
        for n in 0..<batch { for i in 0..<size { for j in 0..<size {
            scalars.append(Float((31 * i + 17 * j + 7 * n) % 97) / 96)
        } } }
        return HostTensor(shape: [batch, 1, size, size], scalars: scalars)
    }

    /// Both backends: the reference loops (the specification) and oneDNN (the product).
    static func backends() throws -> [Backend] {
        [ReferenceBackend(), try DNNLBackend(threads: 1)]
    }

    /// Makes the model a fixture's metadata describes and loads its tensors strictly.
    static func loadModel(_ file: String) throws -> (model: any SegmentationModel, size: Int) {
        let weights = try read(file)
        let architecture = try Architecture(named: try XCTUnwrap(weights.metadata["arch"]))
        let width = try XCTUnwrap(weights.metadata["width"].flatMap(Double.init))
        let size = try XCTUnwrap(weights.metadata["size"].flatMap(Int.init))
        let model = try makeModel(architecture, width: width, seed: 7)
        try Checkpoint(file: file, tensors: weights.tensors, metadata: weights.metadata)
            .apply(to: model.parameters, strict: true)
        return (model, size)
    }
}

/// Largest absolute element difference.
func maxAbsoluteDifference(_ a: [Float], _ b: [Float]) -> Float {
    precondition(a.count == b.count, "\(a.count) vs \(b.count) elements")
    return zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1).isNaN ? .infinity : abs($1.0 - $1.1)) }
}
