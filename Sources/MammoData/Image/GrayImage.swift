/// A single-channel image, row-major, top row first.
///
/// `bitDepth` says how `pixels` are scaled: 8 → 0…255, 16 → 0…65535 (any stored range
/// in between is already mapped by the reader that made the image). Model input is
/// `pixel / (2^bitDepth − 1)` in [0, 1].
public struct GrayImage: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var bitDepth: Int
    public var pixels: [UInt16]

    public init(width: Int, height: Int, bitDepth: Int, pixels: [UInt16]) {
        precondition(pixels.count == width * height, "GrayImage: \(width)x\(height) needs \(width * height) pixels")
        precondition(bitDepth == 8 || bitDepth == 16, "GrayImage: bit depth must be 8 or 16")
        self.width = width; self.height = height; self.bitDepth = bitDepth; self.pixels = pixels
    }

    public init(width: Int, height: Int, bitDepth: Int) {
        self.init(width: width, height: height, bitDepth: bitDepth, pixels: [UInt16](repeating: 0, count: width * height))
    }

    public var maxValue: Int { (1 << bitDepth) - 1 }

    @inlinable public subscript(x: Int, y: Int) -> UInt16 {
        get { pixels[y * width + x] }
        set { pixels[y * width + x] = newValue }
    }

    /// Intensities scaled to [0, 1] by the bit depth (the model's input definition).
    public func normalized() -> [Float] {
        let scale = 1 / Float(maxValue)
        return pixels.map { Float($0) * scale }
    }
}

/// An 8-bit RGB image (overlays, heatmaps, figures), row-major, 3 bytes per pixel.
public struct RGBImage: Equatable, Sendable {
    public var width: Int
    public var height: Int
    public var bytes: [UInt8]

    public init(width: Int, height: Int, bytes: [UInt8]) {
        precondition(bytes.count == width * height * 3, "RGBImage: \(width)x\(height) needs \(width * height * 3) bytes")
        self.width = width; self.height = height; self.bytes = bytes
    }

    public init(width: Int, height: Int) {
        self.init(width: width, height: height, bytes: [UInt8](repeating: 0, count: width * height * 3))
    }
}

/// Errors from reading or writing image and dataset files. Each message is one line
/// naming the file, what is wrong, and (where useful) what to do.
public struct DataError: Error, CustomStringConvertible, Equatable {
    public let file: String
    public let reason: String
    public init(file: String, _ reason: String) { self.file = file; self.reason = reason }
    public var description: String { "\(file): \(reason)" }
}
