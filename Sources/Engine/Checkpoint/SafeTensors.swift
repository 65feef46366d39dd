import Foundation

/// Named float tensors and string metadata in the safetensors format
/// (https://github.com/huggingface/safetensors), readable by Python's `safetensors`.
///
/// File layout:
///
///     bytes [0, 8)        N = header length, UInt64 little-endian
///     bytes [8, 8 + N)    UTF-8 JSON, padded with spaces so that N is a multiple of 8:
///                         {"__metadata__": {String: String},
///                          "<name>": {"dtype": "F32", "shape": [d0, d1, ...], "data_offsets": [begin, end]}, ...}
///     bytes [8 + N, ...)  data section; a tensor occupies [begin, end) of it, row-major little-endian,
///                         end − begin = d0·d1·… · bytes per element
///
/// Writing: float32 only, tensors laid out in name order (what Python's safetensors does for
/// a single dtype), atomically. Reading: F32, and F64/F16/BF16 converted to Float; any defect
/// of the file is a one-line `EngineError.checkpoint` naming the file (and the tensor), never a trap.
public struct SafeTensorsFile: Equatable, Sendable {
    public var tensors: [String: HostTensor]
    public var metadata: [String: String]

    public init(tensors: [String: HostTensor] = [:], metadata: [String: String] = [:]) {
        self.tensors = tensors
        self.metadata = metadata
    }

    /// The key of the header's metadata entry; no tensor may have this name.
    public static let metadataKey = "__metadata__"

    // MARK: Reading

    /// Reads a file. Tensors of a non-float dtype (such as PyTorch's int64
    /// `num_batches_tracked`) are an error, or left out when `skippingNonFloat`.
    public static func read(path: String, skippingNonFloat: Bool = false) throws -> SafeTensorsFile {
        guard FileManager.default.fileExists(atPath: path) else {
            throw EngineError.checkpoint(file: path, reason: "no such file; check the path")
        }
        let data: Data
        do {
            // Read, not memory-mapped: a file truncated by someone else while mapped would be a SIGBUS.
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw EngineError.checkpoint(file: path, reason: "cannot read the file; check that it is a readable file")
        }
        return try data.withUnsafeBytes { try decode($0, file: path, skippingNonFloat: skippingNonFloat) }
    }

    /// Parses a complete safetensors file held in memory; `file` names it in errors.
    public static func decode(_ bytes: UnsafeRawBufferPointer, file: String,
                              skippingNonFloat: Bool = false) throws -> SafeTensorsFile {
        func failure(_ reason: String) -> EngineError { .checkpoint(file: file, reason: reason) }
        let damaged = "the file is damaged or not a safetensors file; save it again"

        guard bytes.count >= 8 else {
            throw failure("truncated header: the file has \(bytes.count) bytes, fewer than the 8-byte header length; \(damaged)")
        }
        let declaredHeaderLength = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: 0, as: UInt64.self))
        guard declaredHeaderLength <= UInt64(bytes.count - 8) else {
            throw failure("header length \(declaredHeaderLength) is beyond the end of the file (\(bytes.count) bytes); \(damaged)")
        }
        let headerLength = Int(declaredHeaderLength)
        let headerBytes = UnsafeRawBufferPointer(rebasing: bytes[8 ..< 8 + headerLength])
        let data = UnsafeRawBufferPointer(rebasing: bytes[(8 + headerLength)...])

        let header = try Header.decode(headerBytes, file: file)
        try checkLayout(header.entries, dataCount: data.count, file: file)

        var tensors: [String: HostTensor] = [:]
        for entry in header.entries {
            guard entry.dtype.isFloat else {
                if skippingNonFloat { continue }
                throw failure("tensor '\(entry.name)' has dtype \(entry.dtype.rawValue), which cannot be read as float; "
                              + "save float tensors (F32, F64, F16 or BF16)")
            }
            let raw = UnsafeRawBufferPointer(rebasing: data[entry.begin ..< entry.end])
            tensors[entry.name] = HostTensor(shape: entry.shape, scalars: entry.dtype.floats(from: raw))
        }
        return SafeTensorsFile(tensors: tensors, metadata: header.metadata)
    }

    /// Every tensor lies inside the data section and no two tensors share bytes.
    private static func checkLayout(_ entries: [Header.Entry], dataCount: Int, file: String) throws {
        for entry in entries where entry.end > dataCount {
            throw EngineError.checkpoint(file: file, reason:
                "data shorter than declared: tensor '\(entry.name)' ends at byte \(entry.end) of the data section, "
                + "which has \(dataCount) bytes; the file is truncated, save it again")
        }
        let byPosition = entries.sorted { ($0.begin, $0.end, $0.name) < ($1.begin, $1.end, $1.name) }
        for (previous, next) in zip(byPosition, byPosition.dropFirst()) where next.begin < previous.end {
            throw EngineError.checkpoint(file: file, reason:
                "tensors '\(previous.name)' and '\(next.name)' overlap in the data section "
                + "([\(previous.begin), \(previous.end)) and [\(next.begin), \(next.end))); the file is damaged, save it again")
        }
    }

    // MARK: Writing

    /// The complete file as bytes (header, padding, float32 data in name order).
    public func encoded(file: String = "<memory>") throws -> [UInt8] {
        let names = tensors.keys.sorted()
        var entries: [Header.Entry] = []
        var offset = 0
        for name in names {
            let tensor = tensors[name]!
            guard name != Self.metadataKey else {
                throw EngineError.checkpoint(file: file, reason: "tensor name '\(name)' is reserved for metadata; rename the tensor")
            }
            guard tensor.shape.allSatisfy({ $0 >= 0 }), tensor.shape.reduce(1, *) == tensor.scalars.count else {
                throw EngineError.checkpoint(file: file, reason:
                    "tensor '\(name)' has shape \(tensor.shape) but \(tensor.scalars.count) values; fix the tensor before saving")
            }
            let byteCount = tensor.scalars.count * MemoryLayout<Float>.size
            entries.append(Header.Entry(name: name, dtype: .f32, shape: tensor.shape, begin: offset, end: offset + byteCount))
            offset += byteCount
        }
        let headerBytes = try Header(entries: entries, metadata: metadata).encoded(file: file)

        var bytes = [UInt8](repeating: 0, count: 8 + headerBytes.count + offset)
        bytes.withUnsafeMutableBytes { out in
            out.storeBytes(of: UInt64(headerBytes.count).littleEndian, toByteOffset: 0, as: UInt64.self)
            out.baseAddress!.advanced(by: 8).copyMemory(from: headerBytes, byteCount: headerBytes.count)
            let dataStart = 8 + headerBytes.count
            for entry in entries {
                tensors[entry.name]!.scalars.withUnsafeBytes { scalars in
                    guard !scalars.isEmpty else { return }
                    let destination = out.baseAddress!.advanced(by: dataStart + entry.begin)
                    #if _endian(little)
                    destination.copyMemory(from: scalars.baseAddress!, byteCount: scalars.count)
                    #else
                    for index in 0 ..< scalars.count / 4 {
                        let value = scalars.load(fromByteOffset: 4 * index, as: UInt32.self)
                        destination.storeBytes(of: value.littleEndian, toByteOffset: 4 * index, as: UInt32.self)
                    }
                    #endif
                }
            }
        }
        return bytes
    }

    /// Writes the file atomically (temp file, fsync, rename, fsync of the folder).
    public func write(to path: String) throws {
        let bytes = try encoded(file: path)
        do {
            try writeFileAtomically(bytes, to: path)
        } catch let error as FileWriteError {
            throw EngineError.checkpoint(file: error.file, reason: error.reason)
        }
    }
}

// MARK: - Header

/// The JSON header: one entry per tensor plus the string metadata.
fileprivate struct Header {
    struct Entry {
        let name: String
        let dtype: ElementType
        let shape: [Int]
        /// Byte range in the data section.
        let begin: Int, end: Int
    }

    /// A tensor entry exactly as it appears in the JSON.
    struct JSONEntry: Codable {
        let dtype: String
        let shape: [Int]
        let dataOffsets: [Int]

        enum CodingKeys: String, CodingKey {
            case dtype, shape
            case dataOffsets = "data_offsets"
        }
    }

    struct Key: CodingKey {
        let stringValue: String
        init(_ string: String) { stringValue = string }
        init?(stringValue: String) { self.stringValue = stringValue }
        var intValue: Int? { nil }
        init?(intValue: Int) { nil }
    }

    var entries: [Entry]
    var metadata: [String: String]

    static func decode(_ bytes: UnsafeRawBufferPointer, file: String) throws -> Header {
        func failure(_ reason: String) -> EngineError { .checkpoint(file: file, reason: reason) }
        let json = Data(bytes)
        guard String(data: json, encoding: .utf8) != nil else {
            throw failure("header is not UTF-8 text; the file is damaged or not a safetensors file")
        }
        let raw: RawHeader
        do {
            raw = try JSONDecoder().decode(RawHeader.self, from: json)
        } catch {
            throw failure("header is not a JSON object; the file is damaged or not a safetensors file")
        }
        guard let metadata = raw.metadata else {
            throw failure("\(SafeTensorsFile.metadataKey) must map strings to strings; fix the metadata when saving")
        }
        var entries: [Entry] = []
        for (name, entry) in raw.tensors.sorted(by: { $0.name < $1.name }) {
            guard let entry else {
                throw failure("tensor '\(name)': header entry must be {\"dtype\": string, \"shape\": [integers], "
                              + "\"data_offsets\": [begin, end]}; the file is damaged")
            }
            entries.append(try Entry(name: name, entry, file: file))
        }
        return Header(entries: entries, metadata: metadata)
    }

    /// UTF-8 JSON padded with spaces to a multiple of 8 bytes.
    func encoded(file: String) throws -> [UInt8] {
        var json: Data
        do {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            json = try encoder.encode(self)
        } catch {
            throw EngineError.checkpoint(file: file, reason: "cannot encode the header as JSON; check tensor names and metadata")
        }
        let padding = (8 - json.count % 8) % 8
        json.append(contentsOf: [UInt8](repeating: UInt8(ascii: " "), count: padding))
        return [UInt8](json)
    }
}

extension Header: Encodable {
    func encode(to encoder: Encoder) throws {
        var object = encoder.container(keyedBy: Key.self)
        if !metadata.isEmpty {
            try object.encode(metadata, forKey: Key(SafeTensorsFile.metadataKey))
        }
        for entry in entries {
            try object.encode(JSONEntry(dtype: entry.dtype.rawValue, shape: entry.shape, dataOffsets: [entry.begin, entry.end]),
                              forKey: Key(entry.name))
        }
    }
}

/// The header as parsed JSON, before validation. Each value is decoded on its own (a bad
/// one becomes nil) so that errors can name the tensor.
fileprivate struct RawHeader: Decodable {
    var tensors: [(name: String, entry: Header.JSONEntry?)] = []
    /// nil when the metadata entry is present but not a string → string map.
    var metadata: [String: String]? = [:]

    init(from decoder: Decoder) throws {
        let object = try decoder.container(keyedBy: Header.Key.self)
        for key in object.allKeys {
            if key.stringValue == SafeTensorsFile.metadataKey {
                metadata = try? object.decode([String: String].self, forKey: key)
            } else {
                tensors.append((key.stringValue, try? object.decode(Header.JSONEntry.self, forKey: key)))
            }
        }
    }
}

extension Header.Entry {
    /// Validates one JSON entry: known float dtype, non-negative shape, offsets that hold
    /// exactly shape × element size bytes. Arithmetic is overflow-checked (hostile headers).
    fileprivate init(name: String, _ raw: Header.JSONEntry, file: String) throws {
        func failure(_ reason: String) -> EngineError { .checkpoint(file: file, reason: "tensor '\(name)': \(reason)") }
        guard let dtype = ElementType(rawValue: raw.dtype) else {
            throw failure("unknown dtype '\(raw.dtype)'; save float tensors (F32, F64, F16 or BF16)")
        }
        guard raw.shape.allSatisfy({ $0 >= 0 }) else {
            throw failure("negative dimension in shape \(raw.shape); the file is damaged")
        }
        var elementCount = 1
        for dimension in raw.shape {
            let (product, overflow) = elementCount.multipliedReportingOverflow(by: dimension)
            guard !overflow else { throw failure("shape \(raw.shape) is too large; the file is damaged") }
            elementCount = product
        }
        let (byteCount, overflow) = elementCount.multipliedReportingOverflow(by: dtype.byteSize)
        guard !overflow else { throw failure("shape \(raw.shape) is too large; the file is damaged") }
        guard raw.dataOffsets.count == 2, raw.dataOffsets[0] >= 0, raw.dataOffsets[0] <= raw.dataOffsets[1] else {
            throw failure("data_offsets \(raw.dataOffsets) must be [begin, end] with 0 ≤ begin ≤ end; the file is damaged")
        }
        let (begin, end) = (raw.dataOffsets[0], raw.dataOffsets[1])
        guard end - begin == byteCount else {
            throw failure("data_offsets [\(begin), \(end)] hold \(end - begin) bytes but shape \(raw.shape) of "
                          + "\(dtype.rawValue) needs \(byteCount); the file is damaged")
        }
        self.init(name: name, dtype: dtype, shape: raw.shape, begin: begin, end: end)
    }
}

// MARK: - Element types

/// The dtypes of the format with a whole number of bytes per element; only the float ones
/// can be read as Float.
fileprivate enum ElementType: String {
    case f32 = "F32", f64 = "F64", f16 = "F16", bf16 = "BF16"
    case bool = "BOOL", u8 = "U8", i8 = "I8", f8e4m3 = "F8_E4M3", f8e5m2 = "F8_E5M2", f8e8m0 = "F8_E8M0"
    case i16 = "I16", u16 = "U16", i32 = "I32", u32 = "U32", i64 = "I64", u64 = "U64", c64 = "C64"

    var isFloat: Bool { [.f32, .f64, .f16, .bf16].contains(self) }

    var byteSize: Int {
        switch self {
        case .bool, .u8, .i8, .f8e4m3, .f8e5m2, .f8e8m0: return 1
        case .f16, .bf16, .i16, .u16: return 2
        case .f32, .i32, .u32: return 4
        case .f64, .i64, .u64, .c64: return 8
        }
    }

    /// Little-endian elements → Float. `raw.count` is a multiple of `byteSize` (checked by the header).
    func floats(from raw: UnsafeRawBufferPointer) -> [Float] {
        let count = raw.count / byteSize
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            switch self {
            case .f32:
                for i in 0 ..< count {
                    out[i] = Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self)))
                }
            case .f64:
                for i in 0 ..< count {
                    out[i] = Float(Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self))))
                }
            case .f16:
                for i in 0 ..< count {
                    out[i] = floatFromHalf(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self)))
                }
            case .bf16:
                // bfloat16 is the upper half of a float32.
                for i in 0 ..< count {
                    out[i] = Float(bitPattern: UInt32(UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16)
                }
            default:
                // Callers convert float dtypes only (`isFloat`); anything else reads as zeros.
                out.initialize(repeating: 0)
            }
            initialized = count
        }
    }
}

/// IEEE 754 binary16 → binary32, exact (Swift's `Float16` is missing on some platforms).
private func floatFromHalf(_ bits: UInt16) -> Float {
    let sign: Float = bits & 0x8000 == 0 ? 1 : -1
    let exponent = Int((bits >> 10) & 0x1F)
    let fraction = UInt32(bits & 0x3FF)
    switch exponent {
    case 0: // zero or subnormal: fraction · 2⁻²⁴
        return sign * Float(fraction) * 0x1p-24
    case 0x1F: // infinity or NaN
        return Float(bitPattern: UInt32(bits & 0x8000) << 16 | 0x7F80_0000 | fraction << 13)
    default: // rebias 15 → 127
        return Float(bitPattern: UInt32(bits & 0x8000) << 16 | UInt32(exponent + 112) << 23 | fraction << 13)
    }
}
