import Engine
import Foundation
@testable import Mammography
import XCTest

/// Every network's initial weights have the distribution PyTorch's default initialisation
/// gives the same layers (Fixtures/init_statistics.json, from reference/models.py with
/// scripts/fixtures/make_init_statistics.py): per tensor, pooled over 8 seeds, the same mean and
/// std within sampling error and no value beyond torch's uniform bound 1/√fan_in. A wrong fan-in or bound
/// (say, fan-out for transposed convolutions) moves a tensor's std by far more than the tolerance.
final class InitializationTests: XCTestCase {
    struct Statistics: Decodable { var count: Int; var mean: Double; var std: Double; var max_abs: Double; var bound: Double? }
    struct Fixture: Decodable { var width: Double; var inits: Int; var archs: [String: [String: Statistics]] }

    func testInitialisationMatchesPyTorchDefaults() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/init_statistics.json")
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: path))
        XCTAssertEqual(Set(fixture.archs.keys), Set(Architecture.allCases.map(\.rawValue)))
        for architecture in Architecture.allCases {
            let expected = try XCTUnwrap(fixture.archs[architecture.rawValue])
            var pooled: [String: [Double]] = [:]
            var counts: [String: Int] = [:]
            for seed in 0..<UInt64(fixture.inits) {
                for p in try makeModel(architecture, width: fixture.width, seed: seed + 1).parameters {
                    pooled[p.name, default: []] += p.value.scalars.map(Double.init)
                    counts[p.name] = p.value.scalars.count
                }
            }
            XCTAssertEqual(Set(pooled.keys), Set(expected.keys), "\(architecture): tensor names")
            for (name, torch) in expected {
                guard let values = pooled[name] else { continue }
                let label = "\(architecture) \(name)"
                XCTAssertEqual(counts[name], torch.count, label)
                let n = Double(values.count)
                let mean = values.reduce(0, +) / n
                let std = (values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / n).squareRoot()
                let maxAbs = values.map(abs).max() ?? 0
                if torch.std == 0 {
                    XCTAssertEqual(std, 0, label); XCTAssertEqual(mean, torch.mean, label)
                    continue
                }
                // Sampling error of a uniform's std estimate ≈ 0.45·std/√n; five of them, plus 1 %.
                XCTAssertEqual(std / torch.std, 1, accuracy: 5 * 0.45 / n.squareRoot() + 0.01, "\(label): std")
                XCTAssertEqual(mean, torch.mean, accuracy: 5 * torch.std * (2 / n).squareRoot(), "\(label): mean")
                let bound = try XCTUnwrap(torch.bound, "\(label): a random tensor of a convolution or linear layer")
                XCTAssertLessThanOrEqual(maxAbs, bound * (1 + 1e-6), "\(label): a value beyond PyTorch's bound 1/√fan_in")
                // A uniform on ±bound has std bound/√3.
                XCTAssertEqual(std / (bound / 3.0.squareRoot()), 1, accuracy: 5 * 0.45 / n.squareRoot() + 0.01, "\(label): std vs bound")
                if n >= 1000 { XCTAssertGreaterThan(maxAbs, bound * 0.95, "\(label): uniform up to the bound") }
            }
        }
    }
}
