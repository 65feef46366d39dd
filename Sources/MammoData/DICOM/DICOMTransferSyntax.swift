/// The transfer syntaxes this package reads and writes (PS3.5 section 10 and annex A).
public enum DICOMTransferSyntax: String, CaseIterable, Sendable {
    case implicitVRLittleEndian = "1.2.840.10008.1.2"
    case explicitVRLittleEndian = "1.2.840.10008.1.2.1"
    /// Retired from the standard but still found in archives.
    case explicitVRBigEndian = "1.2.840.10008.1.2.2"
    /// The whole data set after the meta group is a raw RFC 1951 deflate stream of explicit VR LE.
    case deflatedExplicitVRLittleEndian = "1.2.840.10008.1.2.1.99"
    /// Explicit VR LE with encapsulated pixel data, each frame PackBits-coded byte planes (PS3.5 annex G).
    case rleLossless = "1.2.840.10008.1.2.5"

    public var uid: String { rawValue }
    public var name: String { DICOMTransferSyntax.name(ofUID: rawValue) }

    var isExplicitVR: Bool { self != .implicitVRLittleEndian }
    var isBigEndian: Bool { self == .explicitVRBigEndian }

    /// A human name for any well-known transfer syntax UID ("unknown" otherwise), so that error
    /// messages about unsupported files say what the file is.
    public static func name(ofUID uid: String) -> String {
        knownNames[uid] ?? "unknown transfer syntax"
    }

    private static let knownNames: [String: String] = [
        "1.2.840.10008.1.2": "Implicit VR Little Endian",
        "1.2.840.10008.1.2.1": "Explicit VR Little Endian",
        "1.2.840.10008.1.2.2": "Explicit VR Big Endian",
        "1.2.840.10008.1.2.1.99": "Deflated Explicit VR Little Endian",
        "1.2.840.10008.1.2.5": "RLE Lossless",
        "1.2.840.10008.1.2.4.50": "JPEG Baseline (Process 1)",
        "1.2.840.10008.1.2.4.51": "JPEG Extended (Process 2 & 4)",
        "1.2.840.10008.1.2.4.55": "JPEG Full Progression, Non-Hierarchical (Process 10 & 12) (retired)",
        "1.2.840.10008.1.2.4.57": "JPEG Lossless, Non-Hierarchical (Process 14)",
        "1.2.840.10008.1.2.4.70": "JPEG Lossless, Non-Hierarchical, First-Order Prediction (Process 14 SV1)",
        "1.2.840.10008.1.2.4.80": "JPEG-LS Lossless",
        "1.2.840.10008.1.2.4.81": "JPEG-LS Near-Lossless",
        "1.2.840.10008.1.2.4.90": "JPEG 2000 Lossless",
        "1.2.840.10008.1.2.4.91": "JPEG 2000",
        "1.2.840.10008.1.2.4.92": "JPEG 2000 Part 2 Multi-component Lossless",
        "1.2.840.10008.1.2.4.93": "JPEG 2000 Part 2 Multi-component",
        "1.2.840.10008.1.2.4.100": "MPEG2 Main Profile",
        "1.2.840.10008.1.2.4.201": "High-Throughput JPEG 2000 Lossless",
        "1.2.840.10008.1.2.4.202": "High-Throughput JPEG 2000 with RPCL Options Lossless",
        "1.2.840.10008.1.2.4.203": "High-Throughput JPEG 2000",
        "1.2.840.10008.1.2.8.1": "JPEG XL Lossless",
    ]
}
