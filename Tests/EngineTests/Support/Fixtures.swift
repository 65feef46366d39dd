import Foundation
import XCTest
@testable import Engine

/// Tensors as the fixture scripts write them: `{name: {"shape": [...], "values": [...]}}`,
/// non-finite values as the strings "inf", "-inf", "nan".
struct FixtureTensor: Decodable {
    let shape: [Int]
    let values: [Float]

    var hostTensor: HostTensor { HostTensor(shape: shape, scalars: values) }
}

enum Fixtures {
    /// Path of a file under `Fixtures/<folder>/`.
    static func path(_ name: String, in folder: String) throws -> String {
        let url = try XCTUnwrap(Bundle.module.url(forResource: name, withExtension: nil, subdirectory: "Fixtures/\(folder)"),
                                "fixture \(folder)/\(name) is missing")
        return url.path
    }

    static func decodeJSON<T: Decodable>(_ type: T.Type, _ name: String, in folder: String) throws -> T {
        let data = try Data(contentsOf: URL(fileURLWithPath: try path(name, in: folder)))
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(T.self, from: data)
    }
}

/// A fresh folder under the system temporary folder, removed by `remove()`.
struct TemporaryFolder {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "/engine-tests-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { "\(path)/\(name)" }

    func contents() throws -> [String] { try FileManager.default.contentsOfDirectory(atPath: path).sorted() }

    func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Largest |a − b| / |b| (|b| floored at 1e-30), the relative error of `actual` against `expected`.
func maxRelativeError(_ actual: [Float], _ expected: [Float]) -> Float {
    precondition(actual.count == expected.count)
    var worst: Float = 0
    for (a, b) in zip(actual, expected) {
        let error = abs(a - b) / max(abs(b), 1e-30)
        if error.isNaN { return .infinity }
        worst = max(worst, error)
    }
    return worst
}

/// Bit patterns, so that tests can demand bit-identical values (−0 ≠ +0, NaN == same NaN).
func bits(_ values: [Float]) -> [UInt32] { values.map(\.bitPattern) }
