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

    /// The codestream inside the data: all of it, or the contents of a JP2 file's first
    /// contiguous codestream box (jp2c) found by walking the top-level boxes (ISO/IEC 15444-1 I.4).
    func codestream(in data: [UInt8]) throws -> ArraySlice<UInt8> {
        guard self == .jp2 else { return data[...] }
        var rest = data[...]
        while !rest.isEmpty {
            var reader = JPEG2000ByteReader(rest)
            guard let length32 = reader.uint32(), let type = reader.uint32() else {
                throw CodecError("JPEG 2000: the JP2 file ends inside a box header; the file is truncated")
            }
            // LBox 1: a 64-bit XLBox follows; LBox 0: the box runs to the end of the file.
            let headerLength: UInt64 = length32 == 1 ? 16 : 8
            var length = UInt64(length32)
            if length32 == 1 {
                guard let extended = reader.uint64() else {
                    throw CodecError("JPEG 2000: the JP2 file ends inside a box header; the file is truncated")
                }
                length = extended
            } else if length32 == 0 {
                length = UInt64(rest.count)
            }
            guard length >= headerLength, length <= UInt64(rest.count) else {
                throw CodecError("JPEG 2000: a JP2 box declares \(length) bytes where \(rest.count) remain; the file is damaged or truncated")
            }
            if type == Self.codestreamBoxType {
                return rest.dropFirst(Int(headerLength)).prefix(Int(length - headerLength))
            }
            rest = rest.dropFirst(Int(length))
        }
        throw CodecError("JPEG 2000: the JP2 file has no codestream box (jp2c); the file is damaged")
    }

    /// "jp2c".
    private static let codestreamBoxType: UInt32 = 0x6A70_3263

    var openJPEGFormat: OPJ_CODEC_FORMAT {
        switch self {
        case .codestream: return OPJ_CODEC_J2K
        case .jp2: return OPJ_CODEC_JP2
        }
    }
}
