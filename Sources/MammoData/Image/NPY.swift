/// NumPy's .npy format (version 1.0), written for `mammoseg convert IN OUT.npy` (a DICOM's stored
/// values as they are, so numpy, pydicom users and the corpus checker compare them exactly) and for
/// arrays handed to Python oracles (onnxruntime, PyTorch) in tests.
/// Hand-written: the format is a 10-byte preamble, a Python-literal header and raw data.
public enum NPY {
    /// Writes row-major int32 values of shape (rows, columns), little endian, atomically.
    public static func write(int32 values: [Int32], rows: Int, columns: Int, to path: String) throws {
        precondition(values.count == rows * columns, "NPY.write: \(values.count) values for \(rows) x \(columns)")
        try write(descr: "<i4", shape: [rows, columns], words: values.map { UInt32(bitPattern: $0) }, to: path)
    }

    /// Writes row-major float32 values of any shape, little endian, atomically.
    public static func write(float32 values: [Float], shape: [Int], to path: String) throws {
        precondition(values.count == shape.reduce(1, *), "NPY.write: \(values.count) values for shape \(shape)")
        try write(descr: "<f4", shape: shape, words: values.map(\.bitPattern), to: path)
    }

    private static func write(descr: String, shape: [Int], words: [UInt32], to path: String) throws {
        let tuple = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        var header = "{'descr': '\(descr)', 'fortran_order': False, 'shape': \(tuple), }"
        // Magic (6) + version (2) + length (2) + header + newline: a multiple of 64 bytes.
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        var bytes: [UInt8] = [0x93] + Array("NUMPY".utf8) + [1, 0]
        let length = UInt16(header.utf8.count)
        bytes += [UInt8(length & 0xFF), UInt8(length >> 8)] + Array(header.utf8)
        bytes.reserveCapacity(bytes.count + 4 * words.count)
        for word in words {
            bytes += [UInt8(word & 0xFF), UInt8((word >> 8) & 0xFF), UInt8((word >> 16) & 0xFF), UInt8(word >> 24)]
        }
        try AtomicWrite.write(bytes, to: path, what: "NumPy array")
    }
}
