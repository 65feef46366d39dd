/// How many packets OpenJPEG will walk, estimated from the codestream's headers before it is
/// called: its packet iterator visits every layer × resolution × precinct of every tile-component
/// (about 0.1 µs a packet, 1 µs under AddressSanitizer) even when the data hold none of them, so
/// a COD claiming 65,359 quality layers made 6 kB of hostile bytes cost seconds.
///
/// Reads the coding styles (COD, COC; ISO/IEC 15444-1 A.6.1, A.6.2) of the main header and of
/// every tile-part header, and counts with the worst of them for every tile-component, each
/// tile a full XTsiz × YTsiz aligned on the precinct grid (so the estimate may be low by up to
/// 4× for tiles straddling precinct boundaries, and is high for clipped edge tiles). A marker
/// walk that stops making sense ends the walk: OpenJPEG, in strict mode, refuses such data anyway.
struct JPEG2000PacketEstimate {
    private(set) var layers = 1
    /// The most packets one layer of one tile-component holds, over the coding styles seen.
    private(set) var packetsPerLayerAndTileComponent = 1
    let tileComponents: Int

    private enum Marker {
        static let startOfTile: UInt8 = 0x90, startOfData: UInt8 = 0x93, endOfCodestream: UInt8 = 0xD9
        static let codingStyleDefault: UInt8 = 0x52, codingStyleComponent: UInt8 = 0x53
    }

    init(codestream bytes: ArraySlice<UInt8>, size: JPEG2000ImageAndTileSize) {
        // Saturates rather than wraps (SIZ's own check refuses such counts first).
        let (tiles, o1) = size.tilesAcross.multipliedReportingOverflow(by: size.tilesDown)
        let (count, o2) = tiles.multipliedReportingOverflow(by: size.components.count)
        tileComponents = o1 || o2 ? .max : count
        let tileWidth = min(UInt64(size.tileWidth), UInt64(size.gridWidth - size.tileOffsetX))
        let tileHeight = min(UInt64(size.tileHeight), UInt64(size.gridHeight - size.tileOffsetY))
        let wideComponentIndex = size.components.count > 256
        var position = bytes.startIndex
        var tilePartEnd: Int?  // set while inside a tile-part header
        while position + 4 <= bytes.endIndex, bytes[position] == 0xFF {
            let code = bytes[position + 1]
            if code == Marker.endOfCodestream { break }
            if code == Marker.startOfData {
                // Skip the tile-part's data to the next SOT; Psot 0 means it runs to the end.
                guard let end = tilePartEnd, end > position else { break }
                position = end
                tilePartEnd = nil
                continue
            }
            let length = Int(bytes[position + 2]) << 8 | Int(bytes[position + 3])
            guard length >= 2, position + 2 + length <= bytes.endIndex else { break }
            let body = bytes[(position + 4)..<(position + 2 + length)]
            switch code {
            case Marker.startOfTile:
                var reader = JPEG2000ByteReader(body)
                guard tilePartEnd == nil, reader.uint16() != nil, let psot = reader.uint32(), psot == 0 || psot >= 14 else { return }
                tilePartEnd = psot == 0 ? bytes.endIndex : position + Int(psot)
            case Marker.codingStyleDefault:
                guard let style = JPEG2000CodingStyle(cod: body) else { return }
                record(style, tileWidth: tileWidth, tileHeight: tileHeight)
            case Marker.codingStyleComponent:
                guard let style = JPEG2000CodingStyle(coc: body, wideComponentIndex: wideComponentIndex) else { return }
                record(style, tileWidth: tileWidth, tileHeight: tileHeight)
            default:
                break
            }
            position += 2 + length
        }
    }

    func check(against limits: DecodeLimits) throws {
        try limits.checkPackets(layers: layers, packetsPerLayer: packetsPerLayerAndTileComponent, tileComponents: tileComponents)
    }

    private mutating func record(_ style: JPEG2000CodingStyle, tileWidth: UInt64, tileHeight: UInt64) {
        if let styleLayers = style.layers { layers = max(layers, styleLayers) }
        packetsPerLayerAndTileComponent = max(packetsPerLayerAndTileComponent,
                                              style.packetsPerLayer(tileWidth: tileWidth, tileHeight: tileHeight))
    }
}
