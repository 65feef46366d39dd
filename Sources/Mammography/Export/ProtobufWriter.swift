/// Protocol Buffers wire format, writing only (varints, 32-bit floats, length-delimited fields).
/// ONNX needs about ten message types from `onnx.proto`; encoding them by hand here avoids
/// swift-protobuf's code generator and its 10-minute plugin build for a few hundred bytes of logic.
struct ProtobufWriter {
    private(set) var bytes: [UInt8] = []

    private enum WireType: UInt64 { case varint = 0, lengthDelimited = 2, fixed32 = 5 }

    private mutating func tag(_ field: Int, _ type: WireType) { varint(UInt64(field) << 3 | type.rawValue) }

    private mutating func varint(_ value: UInt64) {
        var v = value
        while v >= 0x80 { bytes.append(UInt8(v & 0x7F) | 0x80); v >>= 7 }
        bytes.append(UInt8(v))
    }

    /// int64/int32/enum fields; negative values take ten bytes, as protobuf specifies.
    mutating func int(_ field: Int, _ value: Int) {
        tag(field, .varint)
        varint(UInt64(bitPattern: Int64(value)))
    }

    /// Repeated int64, unpacked (onnx.proto is proto2, whose readers accept both forms).
    mutating func ints(_ field: Int, _ values: [Int]) { for value in values { int(field, value) } }

    mutating func float(_ field: Int, _ value: Float) {
        tag(field, .fixed32)
        withUnsafeBytes(of: value.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
    }

    mutating func data(_ field: Int, _ value: [UInt8]) {
        tag(field, .lengthDelimited)
        varint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }

    mutating func string(_ field: Int, _ value: String) { data(field, Array(value.utf8)) }

    /// A nested message, written by `body` into its own writer first (its length comes first).
    mutating func message(_ field: Int, _ body: (inout ProtobufWriter) -> Void) {
        var nested = ProtobufWriter()
        body(&nested)
        data(field, nested.bytes)
    }

    /// Float32 values as little-endian bytes (TensorProto's raw_data).
    static func rawFloats(_ values: [Float]) -> [UInt8] {
        var out = [UInt8](); out.reserveCapacity(values.count * 4)
        for value in values { withUnsafeBytes(of: value.bitPattern.littleEndian) { out.append(contentsOf: $0) } }
        return out
    }
}
