import Foundation
import XCTest
@testable import Engine

final class SafeTensorsTests: XCTestCase {
    struct StateDictFixture: Decodable {
        let metadata: [String: String]?
        let tensors: [String: FixtureTensor]
    }

    var folder: TemporaryFolder!

    override func setUpWithError() throws { folder = try TemporaryFolder() }
    override func tearDown() { folder.remove() }

    // MARK: Interoperability with Python's safetensors

    func testReadsFileWrittenByPyTorch() throws {
        let expected = try Fixtures.decodeJSON(StateDictFixture.self, "torch_state_dict.json", in: "safetensors")
        let file = try SafeTensorsFile.read(path: try Fixtures.path("torch_state_dict.safetensors", in: "safetensors"))

        XCTAssertEqual(file.metadata, expected.metadata)
        XCTAssertEqual(Set(file.tensors.keys), Set(expected.tensors.keys))
        XCTAssertEqual(file.tensors["block.conv.weight"]?.shape, [4, 3, 3, 3])
        XCTAssertEqual(file.tensors["block.bn.running_var"]?.shape, [4])
        for (name, tensor) in expected.tensors {
            XCTAssertEqual(file.tensors[name]?.shape, tensor.shape, name)
            XCTAssertEqual(bits(file.tensors[name]?.scalars ?? []), bits(tensor.values), name)
        }
    }

    func testConvertsF64F16AndBF16ToFloat() throws {
        let expected = try Fixtures.decodeJSON(StateDictFixture.self, "dtypes.json", in: "safetensors")
        let file = try SafeTensorsFile.read(path: try Fixtures.path("dtypes.safetensors", in: "safetensors"))
        XCTAssertEqual(file.metadata, ["purpose": "dtype conversion"])
        XCTAssertEqual(Set(file.tensors.keys), ["f64", "f16", "bf16"])
        for (name, tensor) in expected.tensors {
            XCTAssertEqual(file.tensors[name]?.shape, tensor.shape, name)
            XCTAssertEqual(bits(file.tensors[name]?.scalars ?? []), bits(tensor.values), name)
        }
    }

    func testWrittenFileRoundTripsBitForBitAndIsDeterministic() throws {
        let original = try SafeTensorsFile.read(path: try Fixtures.path("torch_state_dict.safetensors", in: "safetensors"))
        let path = folder.file("roundtrip.safetensors")
        try original.write(to: path)
        XCTAssertEqual(try SafeTensorsFile.read(path: path), original)

        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        XCTAssertEqual(bytes, try original.encoded(), "writing is deterministic")
        let headerLength = bytes[0 ..< 8].reversed().reduce(0) { $0 << 8 | Int($1) }
        XCTAssertEqual(headerLength % 8, 0, "header padded to 8 bytes")
        XCTAssertEqual(bytes.count, 8 + headerLength + original.tensors.values.reduce(0) { $0 + 4 * $1.count },
                       "data section holds exactly the float32 values")
        XCTAssertEqual(try folder.contents(), ["roundtrip.safetensors"], "no temporary file left behind")

        // For checking by hand with Python: make_safetensors_fixtures.py --verify <file>.
        if let keep = ProcessInfo.processInfo.environment["MAMMOSEG_TEST_OUTPUT"] {
            try original.write(to: "\(keep)/mammoseg_written.safetensors")
        }
    }

    func testTensorsAreLaidOutInNameOrder() throws {
        let file = SafeTensorsFile(tensors: ["b": HostTensor(repeating: 2, shape: [2]),
                                             "a": HostTensor(repeating: 1, shape: [3]),
                                             "c": HostTensor(repeating: 3, shape: []),
                                             "d": HostTensor(zeros: [0, 3])])
        let bytes = try file.encoded()
        let headerLength = bytes[0 ..< 8].reversed().reduce(0) { $0 << 8 | Int($1) }
        let header = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(bytes[8 ..< 8 + headerLength])) as? [String: Any])
        func offsets(_ name: String) -> [Int]? { (header[name] as? [String: Any])?["data_offsets"] as? [Int] }
        XCTAssertEqual(offsets("a"), [0, 12])
        XCTAssertEqual(offsets("b"), [12, 20])
        XCTAssertEqual(offsets("c"), [20, 24])
        XCTAssertEqual(offsets("d"), [24, 24])
        XCTAssertNil(header["__metadata__"], "no metadata entry when there is none")
        XCTAssertEqual(try SafeTensorsFile.decode(bytes, file: "x"), file)
    }

    // MARK: Bad input: one-line errors, never a trap

    func testTruncatedFileGivesClearErrorAtEveryLength() throws {
        let file = SafeTensorsFile(tensors: ["w": HostTensor(shape: [2, 3], scalars: [1, 2, 3, 4, 5, 6]),
                                             "b": HostTensor(repeating: 0.5, shape: [2])],
                                   metadata: ["arch": "test"])
        let bytes = try file.encoded()
        for length in 0 ..< bytes.count {
            let message = try expectCheckpointError(Array(bytes[..<length]), file: "cut.safetensors")
            XCTAssertTrue(message.contains("truncated") || message.contains("beyond the end") || message.contains("shorter"),
                          "length \(length): \(message)")
        }
        XCTAssertEqual(try SafeTensorsFile.decode(bytes, file: "whole"), file)
    }

    func testDamagedHeadersNameTheProblemAndTheTensor() throws {
        let eightBytes = [UInt8](repeating: 0, count: 8)
        let cases: [(header: String, data: [UInt8], expected: [String])] = [
            ("{not json", [], ["not a JSON object"]),
            ("[1, 2]", [], ["not a JSON object"]),
            (#"{"w": {"dtype": "Q7", "shape": [2], "data_offsets": [0, 8]}}"#, eightBytes, ["'w'", "unknown dtype 'Q7'"]),
            (#"{"n": {"dtype": "I64", "shape": [1], "data_offsets": [0, 8]}}"#, eightBytes, ["'n'", "I64", "cannot be read as float"]),
            (#"{"w": {"dtype": "F32", "shape": [3], "data_offsets": [0, 8]}}"#, eightBytes, ["'w'", "hold 8 bytes", "needs 12"]),
            (#"{"w": {"dtype": "F32", "shape": [-2], "data_offsets": [0, 8]}}"#, eightBytes, ["'w'", "negative dimension"]),
            (#"{"w": {"dtype": "F32", "shape": [2], "data_offsets": [8, 0]}}"#, eightBytes, ["'w'", "begin ≤ end"]),
            (#"{"w": {"dtype": "F32", "shape": [2], "data_offsets": [0]}}"#, eightBytes, ["'w'", "data_offsets"]),
            (#"{"w": {"dtype": "F32", "shape": [2.5], "data_offsets": [0, 8]}}"#, eightBytes, ["'w'", "header entry must be"]),
            (#"{"w": {"dtype": "F32", "shape": [2]}}"#, eightBytes, ["'w'", "header entry must be"]),
            (#"{"w": {"dtype": "F32", "shape": [4611686018427387904, 4], "data_offsets": [0, 8]}}"#, eightBytes, ["'w'", "too large"]),
            (#"{"w": {"dtype": "F32", "shape": [4], "data_offsets": [0, 16]}}"#, eightBytes, ["'w'", "shorter than declared"]),
            (#"{"a": {"dtype": "F32", "shape": [2], "data_offsets": [0, 8]}, "b": {"dtype": "F32", "shape": [1], "data_offsets": [4, 8]}}"#,
             eightBytes, ["'a' and 'b' overlap"]),
            (#"{"__metadata__": {"epoch": 3}}"#, [], ["__metadata__ must map strings to strings"]),
        ]
        for (header, data, expected) in cases {
            let bytes = Self.file(header: header, data: data)
            let message = try expectCheckpointError(bytes, file: "bad.safetensors")
            for fragment in expected {
                XCTAssertTrue(message.contains(fragment), "header \(header): '\(message)' lacks '\(fragment)'")
            }
        }
        // A header length that points past the end of the file.
        var beyond = Self.file(header: "{}", data: [])
        beyond.replaceSubrange(0 ..< 8, with: withUnsafeBytes(of: UInt64(1 << 40).littleEndian, Array.init))
        XCTAssertTrue(try expectCheckpointError(beyond, file: "bad.safetensors").contains("beyond the end of the file"))
        // Invalid UTF-8 in the header.
        XCTAssertTrue(try expectCheckpointError(Self.file(headerBytes: [0x7B, 0xFF, 0xFE, 0x7D], data: []), file: "bad")
            .contains("not UTF-8"))
    }

    func testNonFloatTensorsCanBeSkipped() throws {
        let header = #"{"n": {"dtype": "I64", "shape": [1], "data_offsets": [0, 8]}, "w": {"dtype": "F32", "shape": [1], "data_offsets": [8, 12]}}"#
        let bytes = Self.file(header: header, data: [UInt8](repeating: 0, count: 8) + withUnsafeBytes(of: Float(1.5).bitPattern.littleEndian, Array.init))
        let file = try bytes.withUnsafeBytes { try SafeTensorsFile.decode($0, file: "x", skippingNonFloat: true) }
        XCTAssertEqual(file.tensors, ["w": HostTensor(shape: [1], scalars: [1.5])])
    }

    func testCorruptingAnyHeaderByteNeverTraps() throws {
        let file = SafeTensorsFile(tensors: ["conv.weight": HostTensor(shape: [2, 1, 1, 2], scalars: [1, -2, 3, -4]),
                                             "bn.running_var": HostTensor(repeating: 1, shape: [2])],
                                   metadata: ["arch": "test", "size": "64"])
        let bytes = try file.encoded()
        let headerLength = bytes[0 ..< 8].reversed().reduce(0) { $0 << 8 | Int($1) }
        var outcomes = (loaded: 0, rejected: 0)
        for position in 0 ..< 8 + headerLength {
            for replacement: UInt8 in [0x00, 0x22, 0x39, 0x7D, 0xFF] where bytes[position] != replacement {
                var damaged = bytes
                damaged[position] = replacement
                do {
                    _ = try SafeTensorsFile.decode(damaged, file: "damaged")
                    outcomes.loaded += 1
                } catch let error as EngineError {
                    guard case .checkpoint(let name, _) = error else { return XCTFail("unexpected \(error)") }
                    XCTAssertEqual(name, "damaged")
                    XCTAssertFalse(error.description.contains("\n"))
                    outcomes.rejected += 1
                }
            }
        }
        XCTAssertGreaterThan(outcomes.rejected, 0)
    }

    func testWriteRejectsReservedNameAndInconsistentTensor() throws {
        var inconsistent = HostTensor(zeros: [2])
        inconsistent.shape = [3]
        for tensors in [["__metadata__": HostTensor(zeros: [1])], ["w": inconsistent]] {
            XCTAssertThrowsError(try SafeTensorsFile(tensors: tensors).write(to: folder.file("x.safetensors"))) { error in
                guard case EngineError.checkpoint(let file, _) = error else { return XCTFail("\(error)") }
                XCTAssertEqual(file, self.folder.file("x.safetensors"))
            }
        }
        XCTAssertEqual(try folder.contents(), [])
    }

    func testMissingFileAndUnwritableFolderAreOneLineErrors() throws {
        XCTAssertThrowsError(try SafeTensorsFile.read(path: folder.file("absent.safetensors"))) { error in
            XCTAssertEqual("\(error)", "\(self.folder.file("absent.safetensors")): no such file; check the path")
        }
        let target = folder.file("no/such/folder/x.safetensors")
        XCTAssertThrowsError(try SafeTensorsFile(tensors: [:]).write(to: target)) { error in
            let message = "\(error)"
            XCTAssertTrue(message.hasPrefix("\(target): cannot create a temporary file"), message)
            XCTAssertFalse(message.contains("\n"))
        }
    }

    func testAtomicWriteReplacesExistingFile() throws {
        let path = folder.file("data.bin")
        try writeFileAtomically([1, 2, 3], to: path)
        try writeFileAtomically(Data([4, 5]), to: path)
        XCTAssertEqual(try Data(contentsOf: URL(fileURLWithPath: path)), Data([4, 5]))
        XCTAssertEqual(try folder.contents(), ["data.bin"])
    }

    // MARK: Helpers

    /// 8-byte length, header, then data (header not padded: readers must not rely on padding).
    static func file(header: String, data: [UInt8]) -> [UInt8] { file(headerBytes: Array(header.utf8), data: data) }

    static func file(headerBytes: [UInt8], data: [UInt8]) -> [UInt8] {
        withUnsafeBytes(of: UInt64(headerBytes.count).littleEndian, Array.init) + headerBytes + data
    }

    /// Decodes `bytes`, expecting a one-line `EngineError.checkpoint` naming `file`; returns the message.
    func expectCheckpointError(_ bytes: [UInt8], file: String, line: UInt = #line) throws -> String {
        do {
            _ = try SafeTensorsFile.decode(bytes, file: file)
        } catch let error as EngineError {
            guard case .checkpoint(let name, let reason) = error else {
                XCTFail("unexpected error \(error)", line: line)
                return ""
            }
            XCTAssertEqual(name, file, line: line)
            XCTAssertFalse(error.description.contains("\n"), "multi-line: \(error)", line: line)
            return reason
        }
        XCTFail("decoding \(bytes.count) bytes did not fail", line: line)
        return ""
    }
}

extension SafeTensorsFile {
    static func decode(_ bytes: [UInt8], file: String) throws -> SafeTensorsFile {
        try bytes.withUnsafeBytes { try decode($0, file: file) }
    }
}
