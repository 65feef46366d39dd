/// One sample plane per frame component, padded to whole MCUs (`blockSize` samples per data
/// unit: 8 for DCT, 1 for lossless), filled scan by scan and turned into a `DecodedImage` at the
/// end. Raw memory so the decoders' inner loops run without bounds checks.
final class JPEGComponentPlanes {
    let frame: JPEGFrameHeader
    let blockSize: Int
    /// Samples per row of each plane (whole MCUs).
    let strides: [Int]
    let paddedHeights: [Int]
    /// The component's own size (T.81 A.1.1), which a non-interleaved scan covers.
    let componentWidths: [Int]
    let componentHeights: [Int]
    let planes: [UnsafeMutablePointer<Int32>]
    /// Which components some scan has filled.
    var decoded: [Bool]

    /// Checks the geometry against `limits` before allocating anything.
    init(frame: JPEGFrameHeader, blockSize: Int, limits: DecodeLimits) throws {
        guard frame.height > 0 else {
            throw CodecError("the JPEG frame declares a height of 0 (to follow in a DNL segment); this is not supported")
        }
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
        // Padding can at most multiply by (1 + 31/width) per axis; refuse it above the limit too.
        let total = zip(strides, paddedHeights).reduce(0) { $0 + $1.0 * $1.1 }
        try limits.check(width: total, height: 1, components: 1)
        planes = zip(strides, paddedHeights).map { stride, height in
            let plane = UnsafeMutablePointer<Int32>.allocate(capacity: stride * height)
            plane.initialize(repeating: 0, count: stride * height)
            return plane
        }
        decoded = Array(repeating: false, count: frame.components.count)
    }

    deinit {
        for plane in planes { plane.deallocate() }
    }

    /// Interleaves the planes into an image, upsampling subsampled components by replication
    /// and shifting every sample left by `shift` (the lossless point transform).
    func makeImage(shift: Int) throws -> DecodedImage {
        if let missing = decoded.firstIndex(of: false) {
            throw CodecError("the JPEG codestream ends before any scan codes component \(frame.components[missing].identifier); the file is truncated")
        }
        let width = frame.width, height = frame.height, count = frame.components.count
        let hMax = frame.maximumHorizontalSampling, vMax = frame.maximumVerticalSampling
        let samples = [Int32](unsafeUninitializedCapacity: width * height * count) { output, initialized in
            for c in 0..<count {
                let h = frame.components[c].horizontalSampling, v = frame.components[c].verticalSampling
                let plane = planes[c], stride = strides[c]
                for y in 0..<height {
                    let source = plane + (y * v / vMax) * stride
                    var target = y * width * count + c
                    if h == hMax && count == 1 && shift == 0 {
                        (output.baseAddress! + target).initialize(from: source, count: width)
                        continue
                    }
                    for x in 0..<width {
                        output[target] = source[h == hMax ? x : x * h / hMax] << shift
                        target += count
                    }
                }
            }
            initialized = width * height * count
        }
        return DecodedImage(width: width, height: height, components: count, precision: frame.precision,
                            isSigned: false, samples: samples)
    }
}
