import Foundation

/// Netpbm gray maps (as mini-MIAS ships them): binary "P5" and plain "P2".
///
/// Header: magic, width, height, maxval, separated by whitespace, with `#` comments to the end
/// of a line; one whitespace byte, then the raster, row-major, top row first. P5 stores one byte
/// per sample when maxval < 256, else two bytes big-endian; P2 stores decimal numbers.
public enum PGM {
    /// Reads a PGM as a `GrayImage`: maxval ≤ 255 → 8-bit, else 16-bit, the samples scaled from
    /// 0…maxval onto the full 0…255 / 0…65535 range (round half up), so maxval always maps to white.
    public static func read(_ path: String, limits: ReadLimits = .current) throws -> GrayImage {
        let raster = try readRaster(path, limits: limits)
        let depth = raster.maxValue <= 255 ? 8 : 16
        let full = (1 << depth) - 1, maxValue = raster.maxValue
        let pixels = raster.samples.map { sample in
            UInt16((2 * Int(sample) * full + maxValue) / (2 * maxValue))
        }
        return GrayImage(width: raster.width, height: raster.height, bitDepth: depth, pixels: pixels)
    }

    /// The file's samples as stored (0…maxValue), before any scaling.
    struct Raster {
        let width: Int
        let height: Int
        let maxValue: Int
        let plain: Bool
        let samples: [UInt16]
    }

    static func readRaster(_ path: String, limits: ReadLimits = .current) throws -> Raster {
        guard let data = FileManager.default.contents(atPath: path) else {
            let exists = FileManager.default.fileExists(atPath: path)
            throw DataError(file: path, exists ? "cannot be read; check its permissions" : "no such file; check the path")
        }
        return try parse([UInt8](data), file: path, limits: limits)
    }

    static func parse(_ bytes: [UInt8], file: String, limits: ReadLimits = .current) throws -> Raster {
        func invalid(_ what: String) -> DataError { DataError(file: file, "\(what); expected a binary (P5) or plain (P2) PGM") }
        guard bytes.count >= 2, bytes[0] == UInt8(ascii: "P"), bytes[1] == UInt8(ascii: "5") || bytes[1] == UInt8(ascii: "2") else {
            throw invalid("not a PGM file (no P5/P2 magic number)")
        }
        let plain = bytes[1] == UInt8(ascii: "2")
        var scanner = NumberScanner(bytes: bytes, offset: 2)
        guard let width = scanner.next(), let height = scanner.next(), let maxValue = scanner.next() else {
            throw invalid("incomplete or malformed PGM header (width, height, maxval)")
        }
        guard width > 0, height > 0, width <= 1 << 16, height <= 1 << 16 else {
            throw invalid("image size \(width)x\(height) is empty or too large")
        }
        guard maxValue >= 1, maxValue <= 65535 else { throw invalid("maxval \(maxValue) is outside 1…65535") }
        try limits.checkPixels(width: width, height: height, file: file)
        let count = width * height
        var samples: [UInt16]
        if plain {
            samples = []
            samples.reserveCapacity(min(count, bytes.count))
            while samples.count < count, let value = scanner.next() {
                guard value <= maxValue else { throw invalid("sample \(value) exceeds maxval \(maxValue)") }
                samples.append(UInt16(value))
            }
            guard samples.count == count else {
                throw DataError(file: file, "truncated PGM: \(samples.count) of \(count) samples; the file is incomplete")
            }
        } else {
            // Exactly one whitespace byte separates maxval from the raster.
            let start = scanner.offset + 1
            let bytesPerSample = maxValue < 256 ? 1 : 2
            guard start + count * bytesPerSample <= bytes.count else {
                throw DataError(file: file, "truncated PGM: \(width)x\(height) samples need \(count * bytesPerSample) bytes, the file has \(max(bytes.count - start, 0)); the file is incomplete")
            }
            samples = bytesPerSample == 1
                ? bytes[start..<(start + count)].map(UInt16.init)
                : (0..<count).map { UInt16(bytes[start + 2 * $0]) << 8 | UInt16(bytes[start + 2 * $0 + 1]) }
            if let bad = samples.first(where: { Int($0) > maxValue }) {
                throw invalid("sample \(bad) exceeds maxval \(maxValue)")
            }
        }
        return Raster(width: width, height: height, maxValue: maxValue, plain: plain, samples: samples)
    }

    /// Decimal numbers separated by whitespace, skipping `#` comments; stops right after a number.
    private struct NumberScanner {
        let bytes: [UInt8]
        var offset: Int

        mutating func next() -> Int? {
            while offset < bytes.count {
                if bytes[offset] == UInt8(ascii: "#") {
                    while offset < bytes.count && bytes[offset] != 0x0A && bytes[offset] != 0x0D { offset += 1 }
                } else if [0x20, 0x09, 0x0A, 0x0D, 0x0B, 0x0C].contains(bytes[offset]) {
                    offset += 1
                } else {
                    break
                }
            }
            var value = 0, digits = 0
            while offset < bytes.count, bytes[offset] >= UInt8(ascii: "0"), bytes[offset] <= UInt8(ascii: "9"), digits < 9 {
                value = value * 10 + Int(bytes[offset] - UInt8(ascii: "0"))
                offset += 1; digits += 1
            }
            return digits > 0 ? value : nil
        }
    }
}
