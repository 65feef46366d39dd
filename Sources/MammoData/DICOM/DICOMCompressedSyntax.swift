/// The compressed transfer syntaxes the reader decodes (PS3.5 section 8.2, annex A.4): explicit
/// VR little endian with encapsulated pixel data, each frame one codestream of `family`.
public enum DICOMCompressedSyntax: String, CaseIterable, Sendable {
    case jpegBaseline = "1.2.840.10008.1.2.4.50"
    case jpegExtended = "1.2.840.10008.1.2.4.51"
    /// Retired (process 10 & 12), still written by DCMTK's `dcmcjpeg +ep`; libjpeg-turbo decodes it.
    case jpegProgressive = "1.2.840.10008.1.2.4.55"
    case jpegLossless = "1.2.840.10008.1.2.4.57"
    case jpegLosslessSV1 = "1.2.840.10008.1.2.4.70"
    case jpegLSLossless = "1.2.840.10008.1.2.4.80"
    case jpegLSNearLossless = "1.2.840.10008.1.2.4.81"
    case jpeg2000Lossless = "1.2.840.10008.1.2.4.90"
    case jpeg2000 = "1.2.840.10008.1.2.4.91"
    case jpeg2000Part2Lossless = "1.2.840.10008.1.2.4.92"
    case jpeg2000Part2 = "1.2.840.10008.1.2.4.93"
    case htj2kLossless = "1.2.840.10008.1.2.4.201"
    case htj2kLosslessRPCL = "1.2.840.10008.1.2.4.202"
    case htj2k = "1.2.840.10008.1.2.4.203"

    public enum Family: String, Sendable { case jpeg = "JPEG", jpegLS = "JPEG-LS", jpeg2000 = "JPEG 2000" }

    public var family: Family {
        switch self {
        case .jpegBaseline, .jpegExtended, .jpegProgressive, .jpegLossless, .jpegLosslessSV1: return .jpeg
        case .jpegLSLossless, .jpegLSNearLossless: return .jpegLS
        default: return .jpeg2000
        }
    }

    /// Lossy syntaxes decode to values within a tolerance of the original, never exactly.
    public var isLossy: Bool {
        switch self {
        case .jpegBaseline, .jpegExtended, .jpegProgressive, .jpegLSNearLossless, .jpeg2000, .jpeg2000Part2, .htj2k: return true
        default: return false
        }
    }
}
