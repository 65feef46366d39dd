import Foundation
import XCTest
@testable import Engine

/// A checkpoint cut off at any byte (a copy interrupted, a full disk under another tool) must
/// be a thrown one-line error naming the file, never a trap or a wild read.
final class SafeTensorsTruncationTests: XCTestCase {
    func testEveryTruncationOfASmallFileThrows() throws {
        let file = SafeTensorsFile(tensors: ["a.weight": HostTensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]),
                                             "b.bias": HostTensor(shape: [4], scalars: [7, 8, 9, 10])],
                                   metadata: ["arch": "dilated-resize", "size": "64", "width": "0.25"])
        let bytes = try file.encoded()
        XCTAssertEqual(try decode(bytes), file)
        for length in 0..<bytes.count {
            XCTAssertThrowsError(try decode(Array(bytes.prefix(length))), "prefix of \(length) bytes") { error in
                XCTAssertTrue("\(error)".hasPrefix("cut.safetensors: "), "\(error)")
                XCTAssertFalse("\(error)".contains("\n"))
            }
        }
    }

    func testTruncationsOfAPyTorchFileThrow() throws {
        let bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: try Fixtures.path("torch_state_dict.safetensors",
                                                                                          in: "safetensors"))))
        for length in stride(from: 0, to: bytes.count, by: 3) {
            XCTAssertThrowsError(try decode(Array(bytes.prefix(length))), "prefix of \(length) bytes")
        }
    }

    func testHeaderLengthNearIntMaxThrows() throws {
        for length: UInt64 in [UInt64.max, UInt64(Int.max), UInt64(Int.max) - 7, 1 << 62] {
            var bytes = withUnsafeBytes(of: length.littleEndian, Array.init)
            bytes += Array("{}      ".utf8)
            XCTAssertThrowsError(try decode(bytes))
        }
    }

    private func decode(_ bytes: [UInt8]) throws -> SafeTensorsFile {
        try bytes.withUnsafeBytes { try SafeTensorsFile.decode($0, file: "cut.safetensors") }
    }
}
