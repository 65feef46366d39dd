/// The codestream's SIZ marker segment (ISO/IEC 15444-1 A.5.1), read and checked by us before
/// OpenJPEG sees the data: OpenJPEG's header reader sets up every tile of every component that
/// SIZ declares (about 10 µs a tile, 1 µs a tile-component), so 135 hostile bytes claiming 57,345
/// tiles cost seconds before any limit applied after `opj_read_header` could refuse them.
struct JPEG2000ImageAndTileSize: Equatable {
    struct Component: Equatable {
        /// Ssiz: bits per sample (1…38) and signedness.
        let precision: Int
        let isSigned: Bool
        /// XRsiz, YRsiz: the component's subsampling (1…255).
        let horizontalSeparation: Int
        let verticalSeparation: Int
    }

    /// Xsiz, Ysiz, XOsiz, YOsiz: the reference grid and the image's offset on it.
    let gridWidth: UInt32, gridHeight: UInt32
    let imageOffsetX: UInt32, imageOffsetY: UInt32
    /// XTsiz, YTsiz, XTOsiz, YTOsiz: the tile size and the first tile's offset.
    let tileWidth: UInt32, tileHeight: UInt32
    let tileOffsetX: UInt32, tileOffsetY: UInt32
    let components: [Component]

    /// Lsiz: the segment's bytes after the marker.
    var segmentLength: Int { Self.fixedLength + 3 * components.count }
    var imageWidth: Int { Int(gridWidth - imageOffsetX) }
    var imageHeight: Int { Int(gridHeight - imageOffsetY) }
    var tilesAcross: Int { Self.ceilingDivision(Int(gridWidth) - Int(tileOffsetX), Int(tileWidth)) }
    var tilesDown: Int { Self.ceilingDivision(Int(gridHeight) - Int(tileOffsetY), Int(tileHeight)) }

    private static let marker: [UInt8] = [0xFF, 0x4F, 0xFF, 0x51]
    /// Lsiz's fixed part: Lsiz itself, Rsiz, eight 32-bit sizes and offsets, Csiz.
    private static let fixedLength = 38

    /// Reads SIZ from a codestream (which must begin with SOC then SIZ, as A.3 requires).
    init(codestream bytes: ArraySlice<UInt8>) throws {
        guard bytes.starts(with: Self.marker) else {
            throw CodecError("JPEG 2000: the codestream does not begin with SOC and SIZ (FF 4F FF 51); the data are damaged")
        }
        var reader = JPEG2000ByteReader( bytes.dropFirst(4))
        guard let length = reader.uint16(), let _ = reader.uint16() /* Rsiz */,
              let xsiz = reader.uint32(), let ysiz = reader.uint32(), let xosiz = reader.uint32(), let yosiz = reader.uint32(),
              let xtsiz = reader.uint32(), let ytsiz = reader.uint32(), let xtosiz = reader.uint32(), let ytosiz = reader.uint32(),
              let csiz = reader.uint16() else {
            throw CodecError("JPEG 2000: the SIZ marker segment is cut short (\(bytes.count) bytes of codestream); the data are truncated")
        }
        guard (1...16384).contains(csiz) else {
            throw CodecError("JPEG 2000: SIZ declares \(csiz) components (1 to 16384 are allowed); the data are damaged")
        }
        guard Int(length) == Self.fixedLength + 3 * Int(csiz) else {
            throw CodecError("JPEG 2000: SIZ's length is \(length) bytes, not 38 + 3 × \(csiz) components = \(Self.fixedLength + 3 * Int(csiz)); the data are damaged")
        }
        guard xsiz > 0, ysiz > 0, xosiz < xsiz, yosiz < ysiz else {
            throw CodecError("JPEG 2000: SIZ declares an empty image (grid \(xsiz) × \(ysiz), image offset \(xosiz), \(yosiz)); the data are damaged")
        }
        guard xtsiz > 0, ytsiz > 0, xtosiz <= xosiz, ytosiz <= yosiz,
              UInt64(xtsiz) + UInt64(xtosiz) > UInt64(xosiz), UInt64(ytsiz) + UInt64(ytosiz) > UInt64(yosiz) else {
            throw CodecError("JPEG 2000: SIZ's tiles (\(xtsiz) × \(ytsiz) from \(xtosiz), \(ytosiz)) do not cover the image (from \(xosiz), \(yosiz)); the data are damaged")
        }
        var components: [Component] = []
        components.reserveCapacity(Int(csiz))
        for index in 0..<Int(csiz) {
            guard let ssiz = reader.uint8(), let xrsiz = reader.uint8(), let yrsiz = reader.uint8() else {
                throw CodecError("JPEG 2000: the SIZ marker segment is cut short (component \(index) of \(csiz)); the data are truncated")
            }
            let precision = Int(ssiz & 0x7F) + 1
            guard precision <= 38 else {
                throw CodecError("JPEG 2000: SIZ gives component \(index) \(precision)-bit samples (1 to 38 are allowed); the data are damaged")
            }
            guard xrsiz > 0, yrsiz > 0 else {
                throw CodecError("JPEG 2000: SIZ gives component \(index) a subsampling of \(xrsiz) × \(yrsiz) (1 to 255 are allowed); the data are damaged")
            }
            components.append(Component(precision: precision, isSigned: ssiz & 0x80 != 0,
                                        horizontalSeparation: Int(xrsiz), verticalSeparation: Int(yrsiz)))
        }
        (gridWidth, gridHeight, imageOffsetX, imageOffsetY) = (xsiz, ysiz, xosiz, yosiz)
        (tileWidth, tileHeight, tileOffsetX, tileOffsetY) = (xtsiz, ytsiz, xtosiz, ytosiz)
        self.components = components
    }

    /// Refuses what would cost OpenJPEG too much memory or time before it decodes a sample.
    func check(against limits: DecodeLimits) throws {
        try limits.check(width: imageWidth, height: imageHeight, components: components.count)
        try limits.checkTiles(across: tilesAcross, down: tilesDown, components: components.count)
    }

    private static func ceilingDivision(_ numerator: Int, _ denominator: Int) -> Int {
        (numerator + denominator - 1) / denominator
    }
}
