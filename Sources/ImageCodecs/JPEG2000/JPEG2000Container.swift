import COpenJPEG

/// How JPEG 2000 data are wrapped, told by their first bytes: a bare codestream (what DICOM
/// stores, HTJ2K included) or a JP2 file (boxes around the codestream).
enum JPEG2000Container {
    case codestream
    case jp2

    /// SOC then SIZ: every J2K (and HTJ2K) codestream begins with these two markers.
    private static let codestreamSignature: [UInt8] = [0xFF, 0x4F, 0xFF, 0x51]
    /// The JP2 signature box ("jP  " and its CR LF 0x87 LF check bytes).
    private static let jp2Signature: [UInt8] = [0x00, 0x00, 0x00, 0x0C, 0x6A, 0x50, 0x20, 0x20, 0x0D, 0x0A, 0x87, 0x0A]

    init(signatureOf data: [UInt8]) throws {
        if data.starts(with: Self.codestreamSignature) {
            self = .codestream
        } else if data.starts(with: Self.jp2Signature) {
            self = .jp2
        } else {
            let head = data.prefix(4).map { String($0, radix: 16, uppercase: true) }.joined(separator: " ")
            throw CodecError("the data are not JPEG 2000: they begin with [\(head)] instead of a J2K codestream (FF 4F FF 51) or a JP2 signature box")
        }
    }

    var openJPEGFormat: OPJ_CODEC_FORMAT {
        switch self {
        case .codestream: return OPJ_CODEC_J2K
        case .jp2: return OPJ_CODEC_JP2
        }
    }
}
