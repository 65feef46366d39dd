/// The frame header (SOFn segment) of a JPEG codestream: what the lead needs to route a stream
/// to a decoder (libjpeg-turbo for 8-bit DCT, the hand-written decoders for the rest).
public struct JPEGFrameHeader: Sendable, Equatable {
    /// The coding process that the SOF marker names (ITU T.81 table B.1).
    public enum Process: Sendable, Equatable {
        case baseline            // SOF0
        case extendedSequential  // SOF1, SOF9
        case progressive         // SOF2, SOF10
        case lossless            // SOF3, SOF11
    }

    public enum EntropyCoding: Sendable, Equatable {
        case huffman
        case arithmetic
    }

    public struct Component: Sendable, Equatable {
        public let identifier: UInt8
        public let horizontalSampling: Int
        public let verticalSampling: Int
        public let quantizationTable: Int
    }

    /// The SOF marker's second byte (0xC0 … 0xCF, not 0xC4/0xC8/0xCC).
    public let marker: UInt8
    public let process: Process
    public let entropyCoding: EntropyCoding
    /// SOF5–7 and SOF13–15: a differential frame of a hierarchical codestream.
    public let isDifferential: Bool
    public let precision: Int
    public let width: Int
    /// 0 when the height follows in a DNL segment after the first scan (the decoders look it up).
    public private(set) var height: Int
    public let components: [Component]

    public var maximumHorizontalSampling: Int { components.map(\.horizontalSampling).max() ?? 1 }
    public var maximumVerticalSampling: Int { components.map(\.verticalSampling).max() ?? 1 }

    /// A short name for messages: "lossless (SOF3, Huffman)".
    public var processDescription: String {
        let name: String
        switch process {
        case .baseline: name = "baseline"
        case .extendedSequential: name = "extended sequential"
        case .progressive: name = "progressive"
        case .lossless: name = "lossless"
        }
        let hierarchical = isDifferential ? " hierarchical" : ""
        let coding = entropyCoding == .huffman ? "Huffman" : "arithmetic"
        return "\(name)\(hierarchical) (SOF\(Int(marker) - 0xC0), \(coding))"
    }

    /// The first frame header of `data`, read without decoding anything.
    public static func read(_ data: [UInt8]) throws -> JPEGFrameHeader {
        var reader = JPEGMarkerReader(data)
        try reader.readStartOfImage()
        while let marker = try reader.nextMarker() {
            if JPEGMarker.isStartOfFrame(marker) {
                return try JPEGFrameHeader(marker: marker, segment: try reader.readSegment(marker))
            }
            if marker == JPEGMarker.endOfImage || marker == JPEGMarker.startOfScan {
                break
            }
            if !JPEGMarker.isStandalone(marker) {
                _ = try reader.readSegment(marker)
            }
        }
        throw CodecError("the JPEG codestream has no frame header (SOF marker) before its first scan; the data are damaged or not JPEG")
    }

    /// This header with the number of lines that a DNL segment gives.
    func withHeight(_ lines: Int) -> JPEGFrameHeader {
        var header = self
        header.height = lines
        return header
    }

    /// Parses an SOFn segment body (the bytes after the length field).
    init(marker: UInt8, segment: ArraySlice<UInt8>) throws {
        let bytes = Array(segment)
        guard bytes.count >= 6 else {
            throw CodecError("the JPEG frame header (SOF) is \(bytes.count) bytes, too short; the data are damaged")
        }
        self.marker = marker
        let kind = marker & 0x03
        switch kind {
        case 0: process = marker == JPEGMarker.baselineDCT ? .baseline : .extendedSequential
        case 1: process = .extendedSequential
        case 2: process = .progressive
        default: process = .lossless
        }
        entropyCoding = marker >= 0xC9 ? .arithmetic : .huffman
        isDifferential = (marker & 0x07) >= 5
        precision = Int(bytes[0])
        height = Int(bytes[1]) << 8 | Int(bytes[2])
        width = Int(bytes[3]) << 8 | Int(bytes[4])
        let count = Int(bytes[5])
        guard count >= 1, count <= 4 else {
            throw CodecError("the JPEG frame declares \(count) components; 1 to 4 are supported")
        }
        guard bytes.count >= 6 + 3 * count else {
            throw CodecError("the JPEG frame header (SOF) is too short for its \(count) components; the data are damaged")
        }
        var components: [Component] = []
        for index in 0..<count {
            let base = 6 + 3 * index
            let h = Int(bytes[base + 1] >> 4), v = Int(bytes[base + 1] & 0x0F)
            guard (1...4).contains(h), (1...4).contains(v) else {
                throw CodecError("the JPEG frame gives component \(index) sampling factors \(h) × \(v); 1 to 4 are allowed")
            }
            let table = Int(bytes[base + 2])
            guard table <= 3 else {
                throw CodecError("the JPEG frame gives component \(index) quantization table \(table); 0 to 3 are allowed")
            }
            guard !components.contains(where: { $0.identifier == bytes[base] }) else {
                throw CodecError("the JPEG frame names component \(bytes[base]) twice; the data are damaged")
            }
            components.append(Component(identifier: bytes[base], horizontalSampling: h,
                                        verticalSampling: v, quantizationTable: table))
        }
        self.components = components
        guard width > 0 else {
            throw CodecError("the JPEG frame declares a width of 0; the data are damaged")
        }
    }
}
