/// An SOS segment: which frame components a scan codes, with which tables, and the spectral
/// selection / successive approximation fields (for lossless: predictor and point transform).
struct JPEGScanHeader {
    struct Component {
        /// Index into the frame's component list.
        let frameIndex: Int
        let dcTable: Int
        let acTable: Int
    }

    let components: [Component]
    /// Ss: start of spectral selection, or the lossless predictor (1…7).
    let spectralStart: Int
    /// Se: end of spectral selection.
    let spectralEnd: Int
    let approximationHigh: Int
    /// Al: successive approximation low bit, or the lossless point transform Pt.
    let approximationLow: Int

    init(segment: ArraySlice<UInt8>, frame: JPEGFrameHeader) throws {
        let bytes = Array(segment)
        guard let count = bytes.first, count >= 1, count <= 4, bytes.count >= 1 + 2 * Int(count) + 3 else {
            throw CodecError("the JPEG scan header (SOS) is malformed (\(bytes.count) bytes); the data are damaged")
        }
        var components: [Component] = []
        for index in 0..<Int(count) {
            let identifier = bytes[1 + 2 * index]
            guard let frameIndex = frame.components.firstIndex(where: { $0.identifier == identifier }) else {
                throw CodecError("a JPEG scan names component \(identifier), which the frame does not declare; the data are damaged")
            }
            guard !components.contains(where: { $0.frameIndex == frameIndex }) else {
                throw CodecError("a JPEG scan names component \(identifier) twice; the data are damaged")
            }
            let tables = bytes[2 + 2 * index]
            let dc = Int(tables >> 4), ac = Int(tables & 0x0F)
            guard dc <= 3, ac <= 3 else {
                throw CodecError("a JPEG scan selects Huffman table \(max(dc, ac)); 0 to 3 exist")
            }
            components.append(Component(frameIndex: frameIndex, dcTable: dc, acTable: ac))
        }
        let tail = 1 + 2 * Int(count)
        self.components = components
        spectralStart = Int(bytes[tail])
        spectralEnd = Int(bytes[tail + 1])
        approximationHigh = Int(bytes[tail + 2] >> 4)
        approximationLow = Int(bytes[tail + 2] & 0x0F)
    }
}
