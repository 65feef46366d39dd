/// Decodes JPEG Lossless (ITU T.81 process 14, SOF3, Huffman): DICOM transfer syntaxes
/// 1.2.840.10008.1.2.4.57 and .70 (SV1), which Debian's libjpeg-turbo 2.1 cannot read.
/// Precision 2–16, predictors 1–7, point transform, restart intervals, 1–4 components in
/// interleaved scans or one scan per component.
public enum JPEGLosslessDecoder {
    public static func decode(_ data: [UInt8], limits: DecodeLimits = .default) throws -> DecodedImage {
        var walker = JPEGCodestreamWalker(data)
        let frame = try walker.readFrame()
        guard frame.process == .lossless, frame.entropyCoding == .huffman, !frame.isDifferential else {
            throw CodecError("the JPEG codestream is \(frame.processDescription), not lossless Huffman (SOF3); use the matching decoder")
        }
        guard (2...16).contains(frame.precision) else {
            throw CodecError("the lossless JPEG frame declares \(frame.precision)-bit samples; 2 to 16 are allowed")
        }
        let planes = try JPEGComponentPlanes(frame: frame, blockSize: 1, limits: limits,
                                             codestreamBytes: data.count)
        var pointTransform = 0
        var scans = 0
        while let scan = try walker.nextScan() {
            guard (1...7).contains(scan.spectralStart) else {
                throw CodecError("a lossless JPEG scan selects predictor \(scan.spectralStart); 1 to 7 are defined")
            }
            guard scan.approximationLow < frame.precision else {
                throw CodecError("a lossless JPEG scan's point transform (\(scan.approximationLow)) is not below the precision (\(frame.precision))")
            }
            let tables = try scan.components.map { component -> JPEGHuffmanTable in
                guard let table = walker.tables.dcHuffman[component.dcTable] else {
                    throw CodecError("a lossless JPEG scan uses Huffman table \(component.dcTable), which no DHT segment defines")
                }
                return table
            }
            pointTransform = scan.approximationLow
            let position = walker.reader.position
            walker.reader.position = try data.withUnsafeBufferPointer { buffer in
                var bits = JPEGBitReader(bytes: buffer.baseAddress!, count: buffer.count, position: position)
                try planes.withPlanes { pointers in
                    try decodeScan(scan, tables: tables, restartInterval: walker.tables.restartInterval,
                                   planes: planes, pointers: pointers, bits: &bits)
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
        return try planes.makeImage(shift: pointTransform)
    }

    /// Where the current restart interval began in one component, for the prediction rules of
    /// T.81 H.1.2.1: its first sample is predicted from 2^(P−Pt−1), the rest of that line from
    /// the left neighbour, the first sample of any later line from the one above.
    private struct IntervalStart {
        var row = 0
        var column = 0
    }

    private static func decodeScan(_ scan: JPEGScanHeader, tables: [JPEGHuffmanTable], restartInterval: Int,
                                   planes: JPEGComponentPlanes, pointers: [UnsafeMutablePointer<Int32>],
                                   bits: inout JPEGBitReader) throws {
        let frame = planes.frame
        let predictor = scan.spectralStart
        let initialPrediction = Int32(1) << (frame.precision - scan.approximationLow - 1)
        if scan.components.count == 1 {
            let index = scan.components[0].frameIndex
            try decodeComponent(plane: pointers[index], stride: planes.strides[index],
                                width: planes.componentWidths[index], height: planes.componentHeights[index],
                                table: tables[0], predictor: predictor, initialPrediction: initialPrediction,
                                restartInterval: restartInterval, bits: &bits)
            return
        }
        // Interleaved: each MCU holds H × V samples of every component in the scan.
        let hMax = frame.maximumHorizontalSampling, vMax = frame.maximumVerticalSampling
        let mcuColumns = (frame.width + hMax - 1) / hMax, mcuRows = (frame.height + vMax - 1) / vMax
        var starts = [IntervalStart](repeating: IntervalStart(), count: scan.components.count)
        var mcusLeft = restartInterval
        for mcuRow in 0..<mcuRows {
            for mcuColumn in 0..<mcuColumns {
                if restartInterval > 0 {
                    if mcusLeft == 0 {
                        try bits.restart()
                        mcusLeft = restartInterval
                        for (k, component) in scan.components.enumerated() {
                            let sampling = frame.components[component.frameIndex]
                            starts[k] = IntervalStart(row: mcuRow * sampling.verticalSampling,
                                                      column: mcuColumn * sampling.horizontalSampling)
                        }
                    }
                    mcusLeft -= 1
                }
                for (k, component) in scan.components.enumerated() {
                    let sampling = frame.components[component.frameIndex]
                    let plane = pointers[component.frameIndex], stride = planes.strides[component.frameIndex]
                    for v in 0..<sampling.verticalSampling {
                        let y = mcuRow * sampling.verticalSampling + v
                        let row = plane + y * stride
                        for h in 0..<sampling.horizontalSampling {
                            let x = mcuColumn * sampling.horizontalSampling + h
                            bits.refill()
                            let difference = try decodeDifference(tables[k], bits: &bits)
                            let prediction: Int32
                            if y == starts[k].row {
                                prediction = x == starts[k].column ? initialPrediction : row[x - 1]
                            } else if x == 0 {
                                prediction = row[x - stride]
                            } else {
                                prediction = predict(predictor, left: row[x - 1], above: row[x - stride],
                                                     aboveLeft: row[x - stride - 1])
                            }
                            row[x] = (prediction &+ difference) & 0xFFFF
                        }
                    }
                }
            }
        }
    }

    /// A non-interleaved scan (one sample per MCU): the common grayscale case, kept tight.
    private static func decodeComponent(plane: UnsafeMutablePointer<Int32>, stride: Int, width: Int, height: Int,
                                        table: JPEGHuffmanTable, predictor: Int, initialPrediction: Int32,
                                        restartInterval: Int, bits: inout JPEGBitReader) throws {
        switch predictor {
        case 1: try decodeComponent(LeftPredictor.self, plane, stride, width, height, table, initialPrediction, restartInterval, &bits)
        case 2: try decodeComponent(AbovePredictor.self, plane, stride, width, height, table, initialPrediction, restartInterval, &bits)
        case 3: try decodeComponent(AboveLeftPredictor.self, plane, stride, width, height, table, initialPrediction, restartInterval, &bits)
        case 4: try decodeComponent(PlanePredictor.self, plane, stride, width, height, table, initialPrediction, restartInterval, &bits)
        case 5: try decodeComponent(LeftGradientPredictor.self, plane, stride, width, height, table, initialPrediction, restartInterval, &bits)
        case 6: try decodeComponent(AboveGradientPredictor.self, plane, stride, width, height, table, initialPrediction, restartInterval, &bits)
        default: try decodeComponent(AveragePredictor.self, plane, stride, width, height, table, initialPrediction, restartInterval, &bits)
        }
    }

    /// Specialized per predictor so the inner loop keeps its neighbours in registers.
    private static func decodeComponent<P: JPEGLosslessPredictor>(
        _ predictor: P.Type, _ plane: UnsafeMutablePointer<Int32>, _ stride: Int, _ width: Int, _ height: Int,
        _ table: JPEGHuffmanTable, _ initialPrediction: Int32, _ restartInterval: Int, _ bits: inout JPEGBitReader
    ) throws {
        var start = IntervalStart()
        var mcusLeft = restartInterval
        for y in 0..<height {
            let row = plane + y * stride
            let above = row - stride
            var x = 0
            while x < width {
                if restartInterval > 0 && mcusLeft == 0 {
                    try bits.restart()
                    mcusLeft = restartInterval
                    start = IntervalStart(row: y, column: x)
                }
                let runEnd = restartInterval > 0 ? min(width, x + mcusLeft) : width
                if restartInterval > 0 { mcusLeft -= runEnd - x }
                if y == start.row {
                    // First line of the scan or restart interval: 2^(P−Pt−1), then the left neighbour.
                    var left = x == start.column ? initialPrediction : row[x - 1]
                    for column in x..<runEnd {
                        bits.refill()
                        left = (left &+ (try decodeDifference(table, bits: &bits))) & 0xFFFF
                        row[column] = left
                    }
                } else {
                    var column = x
                    if column == 0 {
                        bits.refill()
                        row[0] = (above[0] &+ (try decodeDifference(table, bits: &bits))) & 0xFFFF
                        column = 1
                    }
                    if column < runEnd {
                        var left = row[column - 1], aboveLeft = above[column - 1]
                        for c in column..<runEnd {
                            let up = above[c]
                            bits.refill()
                            let difference = try decodeDifference(table, bits: &bits)
                            left = (P.predict(left: left, above: up, aboveLeft: aboveLeft) &+ difference) & 0xFFFF
                            row[c] = left
                            aboveLeft = up
                        }
                    }
                }
                x = runEnd
            }
        }
    }

    /// T.81 table H.1 for the interleaved path; reconstruction is modulo 2^16 (H.2.1).
    @inline(__always)
    private static func predict(_ predictor: Int, left a: Int32, above b: Int32, aboveLeft c: Int32) -> Int32 {
        switch predictor {
        case 1: return LeftPredictor.predict(left: a, above: b, aboveLeft: c)
        case 2: return AbovePredictor.predict(left: a, above: b, aboveLeft: c)
        case 3: return AboveLeftPredictor.predict(left: a, above: b, aboveLeft: c)
        case 4: return PlanePredictor.predict(left: a, above: b, aboveLeft: c)
        case 5: return LeftGradientPredictor.predict(left: a, above: b, aboveLeft: c)
        case 6: return AboveGradientPredictor.predict(left: a, above: b, aboveLeft: c)
        default: return AveragePredictor.predict(left: a, above: b, aboveLeft: c)
        }
    }

    /// One difference: SSSS from the table, then SSSS extra bits; SSSS = 16 means 32768 with no
    /// extra bits (T.81 table H.2). Needs 32 bits in the buffer.
    @inline(__always)
    private static func decodeDifference(_ table: JPEGHuffmanTable, bits: inout JPEGBitReader) throws -> Int32 {
        let size = try bits.decode(table)
        if size == 0 { return 0 }
        if size < 16 { return Int32(truncatingIfNeeded: bits.receiveExtended(size)) }
        guard size == 16 else {
            throw CodecError("a lossless JPEG difference category is \(size); 0 to 16 exist, so the data are damaged")
        }
        return 32768
    }
}
