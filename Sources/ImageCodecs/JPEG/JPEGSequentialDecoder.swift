/// Decodes sequential DCT JPEG with Huffman coding (SOF0 baseline, SOF1 extended) of 8 or 12
/// bits: DICOM transfer syntax 1.2.840.10008.1.2.4.51 (12-bit), which Debian's 8-bit
/// libjpeg-turbo cannot read. 1–4 components, sampling factors 1–4 (subsampled components are
/// upsampled by replication), restart intervals. Samples come out as coded: no colour
/// conversion (the DICOM reader applies the photometric interpretation).
public enum JPEGSequentialDecoder {
    public static func decode(_ data: [UInt8], limits: DecodeLimits = .default) throws -> DecodedImage {
        var walker = JPEGCodestreamWalker(data)
        let frame = try walker.readFrame()
        guard frame.entropyCoding == .huffman, !frame.isDifferential,
              frame.process == .baseline || frame.process == .extendedSequential else {
            throw CodecError("\(frame.processDescription) JPEG of \(frame.precision) bits is not supported; this decoder reads sequential Huffman DCT (SOF0/SOF1) only")
        }
        guard frame.precision == 8 || frame.precision == 12 else {
            throw CodecError("the sequential DCT JPEG frame declares \(frame.precision)-bit samples; 8 and 12 are allowed")
        }
        let planes = try JPEGComponentPlanes(frame: frame, blockSize: 8, limits: limits,
                                             codestreamBytes: data.count)
        var scans = 0
        while let scan = try walker.nextScan() {
            guard scan.spectralStart == 0, scan.spectralEnd == 63,
                  scan.approximationHigh == 0, scan.approximationLow == 0 else {
                throw CodecError("a sequential JPEG scan has spectral selection \(scan.spectralStart)–\(scan.spectralEnd) and approximation \(scan.approximationHigh)/\(scan.approximationLow); 0–63 and 0/0 are required, so the data are damaged")
            }
            let coding = try scan.components.map { component -> ComponentCoding in
                let tables = walker.tables
                let quantizationIndex = frame.components[component.frameIndex].quantizationTable
                guard let dc = tables.dcHuffman[component.dcTable], let ac = tables.acHuffman[component.acTable] else {
                    throw CodecError("a JPEG scan uses Huffman tables DC \(component.dcTable) / AC \(component.acTable), which no DHT segment defines")
                }
                guard let zigzagTable = tables.quantization[quantizationIndex] else {
                    throw CodecError("a JPEG component uses quantization table \(quantizationIndex), which no DQT segment defines")
                }
                var natural = [Int32](repeating: 0, count: 64)
                for k in 0..<64 { natural[Self.naturalOrder[k]] = zigzagTable[k] }
                return ComponentCoding(frameIndex: component.frameIndex, dc: dc, ac: ac, quantization: natural)
            }
            let position = walker.reader.position
            walker.reader.position = try data.withUnsafeBufferPointer { buffer in
                var bits = JPEGBitReader(bytes: buffer.baseAddress!, count: buffer.count, position: position)
                try planes.withPlanes { pointers in
                    try decodeScan(coding, restartInterval: walker.tables.restartInterval, planes: planes,
                                   pointers: pointers, bits: &bits)
                }
                try bits.checkNotOverrun()
                return bits.position
            }
            for component in scan.components { planes.decoded[component.frameIndex] = true }
            scans += 1
        }
        if scans == 0 {
            throw CodecError("the JPEG codestream ends before its first scan; the file is truncated")
        }
        return try planes.makeImage(shift: 0)
    }

    private struct ComponentCoding {
        let frameIndex: Int
        let dc: JPEGHuffmanTable
        let ac: JPEGHuffmanTable
        /// Natural (row-major) order.
        let quantization: [Int32]
    }

    /// Zig-zag index → natural (row-major) index, T.81 figure A.6.
    static let naturalOrder: [Int] = [
        0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5,
        12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28,
        35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51,
        58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
    ]

    private static func decodeScan(_ coding: [ComponentCoding], restartInterval: Int,
                                   planes: JPEGComponentPlanes, pointers: [UnsafeMutablePointer<Int32>],
                                   bits: inout JPEGBitReader) throws {
        let frame = planes.frame
        let coefficients = UnsafeMutablePointer<Int32>.allocate(capacity: 64)
        let workspace = UnsafeMutablePointer<Int>.allocate(capacity: 64)
        let quantization = UnsafeMutablePointer<Int32>.allocate(capacity: 64 * coding.count)
        let zigzag = UnsafeMutablePointer<Int>.allocate(capacity: 64)
        let predictions = UnsafeMutablePointer<Int>.allocate(capacity: coding.count)
        defer {
            coefficients.deallocate()
            workspace.deallocate()
            quantization.deallocate()
            zigzag.deallocate()
            predictions.deallocate()
        }
        for (k, component) in coding.enumerated() {
            for i in 0..<64 { quantization[k * 64 + i] = component.quantization[i] }
        }
        for k in 0..<64 { zigzag[k] = naturalOrder[k] }
        predictions.initialize(repeating: 0, count: coding.count)
        let precision = frame.precision

        var mcusLeft = restartInterval
        func countRestart(_ bits: inout JPEGBitReader) throws {
            guard restartInterval > 0 else { return }
            if mcusLeft == 0 {
                try bits.restart()
                mcusLeft = restartInterval
                predictions.update(repeating: 0, count: coding.count)
            }
            mcusLeft -= 1
        }
        @inline(__always)
        func decodeBlock(_ k: Int, _ component: ComponentCoding, blockColumn: Int, blockRow: Int,
                         _ bits: inout JPEGBitReader) throws {
            let hasAC = try decodeCoefficients(dc: component.dc, ac: component.ac, prediction: &predictions[k],
                                               coefficients: coefficients, zigzag: zigzag, bits: &bits)
            let stride = planes.strides[component.frameIndex]
            let output = pointers[component.frameIndex] + blockRow * 8 * stride + blockColumn * 8
            if !hasAC {
                JPEGInverseDCT.transformDC(coefficients[0], quantization: quantization[k * 64], precision: precision,
                                           output: output, stride: stride)
                return
            }
            JPEGInverseDCT.transform(coefficients, quantization: quantization + k * 64, precision: precision,
                                     output: output, stride: stride, workspace: workspace)
        }

        if coding.count == 1 {
            // Non-interleaved: the component's own blocks, one per MCU.
            let component = coding[0]
            let columns = (planes.componentWidths[component.frameIndex] + 7) / 8
            let rows = (planes.componentHeights[component.frameIndex] + 7) / 8
            for blockRow in 0..<rows {
                for blockColumn in 0..<columns {
                    try countRestart(&bits)
                    try decodeBlock(0, component, blockColumn: blockColumn, blockRow: blockRow, &bits)
                }
            }
            return
        }
        let hMax = frame.maximumHorizontalSampling, vMax = frame.maximumVerticalSampling
        let mcuColumns = (frame.width + 8 * hMax - 1) / (8 * hMax), mcuRows = (frame.height + 8 * vMax - 1) / (8 * vMax)
        for mcuRow in 0..<mcuRows {
            for mcuColumn in 0..<mcuColumns {
                try countRestart(&bits)
                for (k, component) in coding.enumerated() {
                    let sampling = frame.components[component.frameIndex]
                    for v in 0..<sampling.verticalSampling {
                        for h in 0..<sampling.horizontalSampling {
                            try decodeBlock(k, component, blockColumn: mcuColumn * sampling.horizontalSampling + h,
                                            blockRow: mcuRow * sampling.verticalSampling + v, &bits)
                        }
                    }
                }
            }
        }
    }

    /// One block's Huffman-coded DC difference and AC run/sizes (T.81 F.2.2) into natural order;
    /// false when every AC coefficient is zero (smooth areas: the block is flat).
    @inline(__always)
    private static func decodeCoefficients(dc: JPEGHuffmanTable, ac: JPEGHuffmanTable, prediction: inout Int,
                                           coefficients: UnsafeMutablePointer<Int32>, zigzag: UnsafePointer<Int>,
                                           bits: inout JPEGBitReader) throws -> Bool {
        coefficients.update(repeating: 0, count: 64)
        bits.refill()
        let size = try bits.decode(dc)
        guard size <= 15 else {
            throw CodecError("a JPEG DC difference category is \(size); 0 to 15 exist, so the data are damaged")
        }
        if size > 0 { prediction &+= bits.receiveExtended(size) }
        // libjpeg keeps coefficients in 16 bits; so does this, so damaged data cannot overflow the IDCT.
        coefficients[0] = Int32(Int16(truncatingIfNeeded: prediction))
        var index = 1
        var hasAC = false
        while index < 64 {
            bits.refill()
            let runAndSize = try bits.decode(ac)
            let run = runAndSize >> 4, size = runAndSize & 15
            if size == 0 {
                if run != 15 { break }
                index += 16
                continue
            }
            index += run
            guard index < 64 else {
                throw CodecError("a JPEG block has more than 64 coefficients; the data are damaged")
            }
            coefficients[zigzag[index]] = Int32(Int16(truncatingIfNeeded: bits.receiveExtended(size)))
            hasAC = true
            index += 1
        }
        return hasAC
    }
}
