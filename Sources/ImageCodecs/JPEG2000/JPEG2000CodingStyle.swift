/// What a COD or COC marker segment (ISO/IEC 15444-1 A.6.1, A.6.2) says about the number of
/// packets: quality layers (COD only), decomposition levels, and each resolution's precinct size.
struct JPEG2000CodingStyle {
    /// Quality layers; nil for a COC, which does not set them.
    let layers: Int?
    let decompositionLevels: Int
    /// log₂ of the precinct width and height per resolution, lowest first (15: the default, maximal).
    let precinctExponents: [(width: Int, height: Int)]

    /// From a COD body (the bytes after Lcod): Scod, SGcod (progression, layers, MCT), SPcod.
    init?(cod body: ArraySlice<UInt8>) {
        var reader = JPEG2000ByteReader(body)
        guard let scod = reader.uint8(), reader.uint8() != nil, let layers = reader.uint16(), reader.uint8() != nil else { return nil }
        self.init(layers: Int(layers), definesPrecincts: scod & 1 != 0, reader: &reader)
    }

    /// From a COC body: Ccoc (two bytes when Csiz > 256), Scoc, SPcoc.
    init?(coc body: ArraySlice<UInt8>, wideComponentIndex: Bool) {
        var reader = JPEG2000ByteReader(body)
        guard (wideComponentIndex ? reader.uint16().map(Int.init) : reader.uint8().map(Int.init)) != nil,
              let scoc = reader.uint8() else { return nil }
        self.init(layers: nil, definesPrecincts: scoc & 1 != 0, reader: &reader)
    }

    /// SPcod / SPcoc: levels, code-block width and height, style, transform, then (when the
    /// style flag says so) one precinct size byte per resolution.
    private init?(layers: Int?, definesPrecincts: Bool, reader: inout JPEG2000ByteReader) {
        guard let levels = reader.uint8(), reader.uint32() != nil else { return nil }
        var exponents: [(width: Int, height: Int)] = []
        for _ in 0...Int(levels) {
            if definesPrecincts {
                guard let packed = reader.uint8() else { return nil }
                exponents.append((Int(packed & 0x0F), Int(packed >> 4)))
            } else {
                exponents.append((15, 15))
            }
        }
        self.layers = layers
        decompositionLevels = Int(levels)
        precinctExponents = exponents
    }

    /// Packets of one layer of a tile-component of `tileWidth` × `tileHeight` at the origin: the
    /// precincts of every resolution (B.6), at least one per resolution.
    func packetsPerLayer(tileWidth: UInt64, tileHeight: UInt64) -> Int {
        func ceilingShift(_ value: UInt64, _ shift: Int) -> UInt64 {
            shift >= 64 ? (value > 0 ? 1 : 0) : (value + (1 << shift) - 1) >> shift
        }
        var total: UInt64 = 0
        for (resolution, exponents) in precinctExponents.enumerated() {
            let reduction = decompositionLevels - resolution
            let across = max(1, ceilingShift(ceilingShift(tileWidth, reduction), exponents.width))
            let down = max(1, ceilingShift(ceilingShift(tileHeight, reduction), exponents.height))
            // Each factor is below 2³², so the product fits; the sum saturates.
            let (sum, overflow) = total.addingReportingOverflow(across * down)
            total = overflow ? .max : sum
        }
        return Int(clamping: total)
    }
}
