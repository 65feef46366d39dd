/// Hand-built JPEG 2000 marker segments for the header-guard tests (ISO/IEC 15444-1 Annex A).
enum CraftedJPEG2000 {
    static func be16(_ value: Int) -> [UInt8] { [UInt8(truncatingIfNeeded: value >> 8), UInt8(truncatingIfNeeded: value)] }
    static func be32(_ value: UInt32) -> [UInt8] { (0..<4).map { UInt8(truncatingIfNeeded: value >> (24 - 8 * $0)) } }

    /// SOC + SIZ for a grid of `width` × `height` in `tile` × `tile` tiles, `components` 12-bit
    /// components (Ssiz `ssiz`); `lengthAdjustment` corrupts Lsiz.
    static func siz(width: UInt32 = 256, height: UInt32 = 128, offset: UInt32 = 0, tile: UInt32 = 64, tileOffset: UInt32 = 0,
                    components: Int = 1, ssiz: UInt8 = 11, separation: UInt8 = 1, lengthAdjustment: Int = 0) -> [UInt8] {
        var bytes: [UInt8] = [0xFF, 0x4F, 0xFF, 0x51] + be16(38 + 3 * components + lengthAdjustment) + [0, 0]
        for value in [width, height, offset, offset, tile, tile, tileOffset, tileOffset] { bytes += be32(value) }
        bytes += be16(components)
        for _ in 0..<components { bytes += [ssiz, separation, separation] }
        return bytes
    }

    /// COD: `layers` quality layers, `levels` decompositions, 64 × 64 code-blocks, 5-3 wavelet;
    /// `precincts` (one byte PPy << 4 | PPx per resolution) or the default maximal precincts.
    static func cod(layers: Int, levels: UInt8 = 5, precincts: [UInt8]? = nil) -> [UInt8] {
        let body: [UInt8] = [precincts == nil ? 0 : 1, 0] + be16(layers) + [0, levels, 4, 4, 0, 1] + (precincts ?? [])
        return [0xFF, 0x52] + be16(2 + body.count) + body
    }

    /// COC for component `component` (of at most 256) with its own levels and precincts.
    static func coc(component: UInt8, levels: UInt8, precincts: [UInt8]) -> [UInt8] {
        let body: [UInt8] = [component, 1, levels, 4, 4, 0, 1] + precincts
        return [0xFF, 0x53] + be16(2 + body.count) + body
    }

    /// QCD with no quantization (reversible), guard bits 2, one exponent per sub-band.
    static func qcd(levels: Int = 5) -> [UInt8] {
        let body: [UInt8] = [0x40] + [UInt8](repeating: 0x48, count: 3 * levels + 1)
        return [0xFF, 0x5C] + be16(2 + body.count) + body
    }

    /// One tile-part: SOT (Psot counting `header` + SOD + `data`), its header segments, SOD, data.
    static func tilePart(index: Int, header: [UInt8], data: [UInt8]) -> [UInt8] {
        let psot = UInt32(12 + header.count + 2 + data.count)
        return [0xFF, 0x90, 0, 10] + be16(index) + be32(psot) + [0, 1] + header + [0xFF, 0x93] + data
    }
}
