/// One sample plane per frame component, padded to whole MCUs (`blockSize` samples per data
/// unit: 8 for DCT, 1 for lossless), filled scan by scan and turned into a `DecodedImage` at the
/// end. Decoders write through raw pointers (no bounds checks in the inner loops); a single
/// unpadded plane (a grayscale mammogram) is the output array itself, so nothing is copied.
final class JPEGComponentPlanes {
    let frame: JPEGFrameHeader
    let blockSize: Int
    /// Samples per row of each plane (whole MCUs).
    let strides: [Int]
    let paddedHeights: [Int]
    /// The component's own size (T.81 A.1.1), which a non-interleaved scan covers.
    let componentWidths: [Int]
    let componentHeights: [Int]
    /// Raw planes, unless `isOutput`.
    private let rawPlanes: [UnsafeMutablePointer<Int32>]
    /// The one plane when it is the image: one component, no padding.
    private var outputPlane: [Int32]
    private let isOutput: Bool
    /// Which components some scan has filled.
    var decoded: [Bool]

    /// Checks the geometry against `limits`, and against the `codestreamBytes` that have to
    /// code it, before allocating anything.
    init(frame: JPEGFrameHeader, blockSize: Int, limits: DecodeLimits, codestreamBytes: Int) throws {
        try limits.check(width: frame.width, height: frame.height, components: frame.components.count)
        let hMax = frame.maximumHorizontalSampling, vMax = frame.maximumVerticalSampling
        let mcuColumns = (frame.width + hMax * blockSize - 1) / (hMax * blockSize)
        let mcuRows = (frame.height + vMax * blockSize - 1) / (vMax * blockSize)
        self.frame = frame
        self.blockSize = blockSize
        strides = frame.components.map { mcuColumns * $0.horizontalSampling * blockSize }
        paddedHeights = frame.components.map { mcuRows * $0.verticalSampling * blockSize }
        componentWidths = frame.components.map { (frame.width * $0.horizontalSampling + hMax - 1) / hMax }
        componentHeights = frame.components.map { (frame.height * $0.verticalSampling + vMax - 1) / vMax }
        // Every data unit (sample or 8 × 8 block) takes at least one bit of Huffman code, so a few
        // bytes claiming a big image are refused here rather than after allocating and decoding.
        let dataUnits = zip(componentWidths, componentHeights).reduce(0) {
            $0 + (($1.0 + blockSize - 1) / blockSize) * (($1.1 + blockSize - 1) / blockSize)
        }
        guard dataUnits <= 8 * codestreamBytes else {
            throw CodecError("the JPEG codestream is \(codestreamBytes) bytes, too few to code \(frame.width) × \(frame.height) × \(frame.components.count) samples; the file is truncated")
        }
        // Padding can at most multiply by (1 + 31/width) per axis; refuse it above the limit too.
        let total = zip(strides, paddedHeights).reduce(0) { $0 + $1.0 * $1.1 }
        try limits.check(width: total, height: 1, components: 1)
        isOutput = frame.components.count == 1 && strides[0] == frame.width && paddedHeights[0] == frame.height
        outputPlane = isOutput ? [Int32](repeating: 0, count: frame.width * frame.height) : []
        rawPlanes = isOutput ? [] : zip(strides, paddedHeights).map { stride, height in
            let plane = UnsafeMutablePointer<Int32>.allocate(capacity: stride * height)
            plane.initialize(repeating: 0, count: stride * height)
            return plane
        }
        decoded = Array(repeating: false, count: frame.components.count)
    }

    deinit {
        for plane in rawPlanes { plane.deallocate() }
    }

    /// Runs `body` with a pointer to each component's plane (`strides[c]` samples per row).
    func withPlanes<Result>(_ body: ([UnsafeMutablePointer<Int32>]) throws -> Result) rethrows -> Result {
        if isOutput {
            return try outputPlane.withUnsafeMutableBufferPointer { try body([$0.baseAddress!]) }
        }
        return try body(rawPlanes)
    }

    /// Interleaves the planes into an image, upsampling subsampled components by replication
    /// and shifting every sample left by `shift` (the lossless point transform).
    func makeImage(shift: Int) throws -> DecodedImage {
        if let missing = decoded.firstIndex(of: false) {
            throw CodecError("the JPEG codestream ends before any scan codes component \(frame.components[missing].identifier); the file is truncated")
        }
        let width = frame.width, height = frame.height, count = frame.components.count
        if isOutput {
            if shift > 0 {
                outputPlane.withUnsafeMutableBufferPointer { samples in
                    for index in samples.indices { samples[index] <<= shift }
                }
            }
            return DecodedImage(width: width, height: height, components: 1, precision: frame.precision,
                                isSigned: false, samples: outputPlane)
        }
        let hMax = frame.maximumHorizontalSampling, vMax = frame.maximumVerticalSampling
        let samples = [Int32](unsafeUninitializedCapacity: width * height * count) { output, initialized in
            for c in 0..<count {
                let h = frame.components[c].horizontalSampling, v = frame.components[c].verticalSampling
                let plane = rawPlanes[c], stride = strides[c]
                for y in 0..<height {
                    let source = plane + (y * v / vMax) * stride
                    let row = output.baseAddress! + y * width * count
                    if count == 1 {
                        row.initialize(from: source, count: width)
                        if shift > 0 { for x in 0..<width { row[x] <<= shift } }
                    } else if h == hMax {
                        for x in 0..<width { row[x * count + c] = source[x] << shift }
                    } else {
                        for x in 0..<width { row[x * count + c] = source[x * h / hMax] << shift }
                    }
                }
            }
            initialized = width * height * count
        }
        return DecodedImage(width: width, height: height, components: count, precision: frame.precision,
                            isSigned: false, samples: samples)
    }
}
