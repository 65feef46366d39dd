// ImageCodecs: turns one compressed image codestream (JPEG, JPEG-LS, JPEG 2000) into integer
// samples. It owns codestream parsing and the C codec libraries; it knows nothing of DICOM.

/// One decoded image: `components` interleaved samples per pixel, row-major.
///
/// `samples` hold the values the codestream defines: for a `precision`-bit unsigned stream
/// 0 … 2^precision − 1, for a signed one (JPEG 2000 / JPEG-LS can say so) sign-extended values.
/// The caller (the DICOM reader) maps them to stored values with PixelRepresentation.
public struct DecodedImage: Sendable, Equatable {
    public let width: Int
    public let height: Int
    public let components: Int
    /// Bits per sample that the codestream declares (2…16).
    public let precision: Int
    public let isSigned: Bool
    public var samples: [Int32]

    public init(width: Int, height: Int, components: Int, precision: Int, isSigned: Bool, samples: [Int32]) {
        self.width = width
        self.height = height
        self.components = components
        self.precision = precision
        self.isSigned = isSigned
        self.samples = samples
    }
}

/// Why a codestream could not be decoded, in words a user can act on (no file name: the
/// caller knows which file and adds it).
public struct CodecError: Error, CustomStringConvertible, Equatable, Sendable {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Bounds a decoder checks against the codestream's header before it allocates anything, so a
/// few hostile bytes cannot ask for gigabytes.
public struct DecodeLimits: Sendable, Equatable {
    /// Width × height × components above this is refused before decoding.
    public var maximumSamples: Int
    /// Threads a decoder may use where its library can (OpenJPEG); 0 = all cores.
    public var threads: Int
    /// JPEG 2000 tiles × components above this are refused before OpenJPEG reads the header,
    /// which sets each one up (about 10 µs a tile, 1 µs a tile-component): 4096 bounds that at
    /// ~0.05 s, and a mammogram in 64 × 64 tiles (4700 × 2600: 3034 tiles) still fits.
    public var maximumTileComponents: Int
    /// JPEG 2000 packets (layers × precincts of every resolution × tile-components, estimated
    /// from the headers) above this are refused before decoding: OpenJPEG walks each one, even
    /// when the data hold none (0.1–0.15 µs each), so 2¹⁹ bounds that at ~0.08 s; a mammogram in
    /// 3034 tiles with 20 layers and 6 resolutions is 364,080.
    public var maximumPackets: Int

    /// 2³⁰ samples: a 4700 × 2600 mammogram is 1.2 × 10⁷, so this leaves room for any detector.
    public static let `default` = DecodeLimits(maximumSamples: 1 << 30, threads: 0)

    public static let defaultMaximumTileComponents = 4096
    public static let defaultMaximumPackets = 1 << 19

    public init(maximumSamples: Int, threads: Int = 0, maximumTileComponents: Int = defaultMaximumTileComponents,
                maximumPackets: Int = defaultMaximumPackets) {
        self.maximumSamples = maximumSamples
        self.threads = threads
        self.maximumTileComponents = maximumTileComponents
        self.maximumPackets = maximumPackets
    }

    /// Throws if a header's geometry is empty or exceeds `maximumSamples` (checked without overflow).
    public func check(width: Int, height: Int, components: Int) throws {
        guard width > 0, height > 0, components > 0 else {
            throw CodecError("the codestream declares an empty image (\(width) × \(height) × \(components)); the data are damaged")
        }
        let (area, o1) = width.multipliedReportingOverflow(by: height)
        let (total, o2) = area.multipliedReportingOverflow(by: components)
        guard !o1, !o2, total <= maximumSamples else {
            throw CodecError("the codestream declares \(width) × \(height) × \(components) samples, above the limit of \(maximumSamples); raise --max-pixels if the image is real")
        }
    }

    /// Throws if a JPEG 2000 header's tiles × components exceed `maximumTileComponents`.
    public func checkTiles(across: Int, down: Int, components: Int) throws {
        let (tiles, o1) = across.multipliedReportingOverflow(by: down)
        let (total, o2) = tiles.multipliedReportingOverflow(by: components)
        guard !o1, !o2, total <= maximumTileComponents else {
            throw CodecError("the codestream declares \(across) × \(down) tiles × \(components) components, above the limit of \(maximumTileComponents) tile-components; re-encode the image in fewer, larger tiles if it is real")
        }
    }

    /// Throws if a JPEG 2000 header's packets (`layers` × `packetsPerLayer` per tile-component)
    /// exceed `maximumPackets`.
    public func checkPackets(layers: Int, packetsPerLayer: Int, tileComponents: Int) throws {
        let (perTileComponent, o1) = layers.multipliedReportingOverflow(by: packetsPerLayer)
        let (total, o2) = perTileComponent.multipliedReportingOverflow(by: tileComponents)
        guard !o1, !o2, total <= maximumPackets else {
            throw CodecError("the codestream's coding style declares \(layers) layers × \(packetsPerLayer) precincts over its resolutions × \(tileComponents) tile-components, above the limit of \(maximumPackets) packets; re-encode the image with fewer quality layers or larger precincts if it is real")
        }
    }
}
