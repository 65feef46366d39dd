import Foundation

/// Lays out `DICOMDataElement`s as Explicit VR Little Endian (PS3.5 7.1.2), the one encoding
/// MammoSeg writes: elements in ascending tag order, each value padded to even length (UI and
/// binary VRs with NUL, text with a space, PS3.5 6.2), sequences and their items of defined
/// length or of undefined length closed by delimiters (PS3.5 7.5). Refuses what a reader could
/// not take back: a repeated tag, a value longer than its VR allows, a CS or UI with characters
/// outside the VR's repertoire.
struct DICOMDataSetEncoder {
    enum SequenceLength { case defined, undefined }

    var sequenceLength: SequenceLength = .defined

    /// Why an element cannot be written; the caller names the file.
    struct EncodingError: Error, CustomStringConvertible {
        let description: String
    }

    /// The data set, top level.
    func encode(_ elements: [DICOMDataElement]) throws -> [UInt8] {
        var encoder = DICOMElementEncoder(explicitVR: true, bigEndian: false)
        try append(elements, to: &encoder)
        return encoder.bytes
    }

    /// A PS3.10 file: 128-byte preamble, "DICM", the file meta group (led by its length), the data set.
    func part10File(sopClassUID: String, sopInstanceUID: String, dataSet elements: [DICOMDataElement]) throws -> [UInt8] {
        let meta = try encode([
            DICOMDataElement(.fileMetaVersion, vr: "OB", bytes: [0x00, 0x01]),
            .text(.mediaStorageSOPClassUID, "UI", sopClassUID),
            .text(.mediaStorageSOPInstanceUID, "UI", sopInstanceUID),
            .text(.transferSyntaxUID, "UI", DICOMTransferSyntax.explicitVRLittleEndian.uid),
            .text(.implementationClassUID, "UI", DICOMUID.implementationClass),
            .text(.implementationVersionName, "SH", DICOMUID.implementationVersionName),
        ])
        let groupLength = try encode([.unsignedLong(.fileMetaGroupLength, UInt32(meta.count))])
        return [UInt8](repeating: 0, count: 128) + Array("DICM".utf8) + groupLength + meta + (try encode(elements))
    }

    private func append(_ elements: [DICOMDataElement], to encoder: inout DICOMElementEncoder) throws {
        let sorted = elements.sorted { $0.tag < $1.tag }
        for (a, b) in zip(sorted, sorted.dropFirst()) where a.tag == b.tag {
            throw EncodingError(description: "attribute \(a.tag) given twice")
        }
        for element in sorted {
            switch element.value {
            case .bytes(let value):
                try Self.check(value, of: element)
                let padded = value.count % 2 == 0 ? value : value + [Self.padding(for: element.vr)]
                if !DICOMDictionary.longLengthVRs.contains(element.vr) && padded.count > 0xFFFE {
                    throw EncodingError(description: "\(element.tag) holds \(padded.count) bytes, more than its VR \(element.vr) can")
                }
                encoder.appendHeader(element.tag, vr: element.vr, length: padded.count)
                encoder.appendRaw(padded)
            case .items(let items):
                switch sequenceLength {
                case .undefined:
                    encoder.appendHeader(element.tag, vr: "SQ", length: nil)
                    for item in items {
                        encoder.appendItemHeader(.item, length: Int(DICOMDataSet.undefinedLength))
                        try append(item, to: &encoder)
                        encoder.appendItemHeader(.itemDelimitation, length: 0)
                    }
                    encoder.appendItemHeader(.sequenceDelimitation, length: 0)
                case .defined:
                    var content = DICOMElementEncoder(explicitVR: true, bigEndian: false)
                    for item in items {
                        var inner = DICOMElementEncoder(explicitVR: true, bigEndian: false)
                        try append(item, to: &inner)
                        content.appendItemHeader(.item, length: inner.bytes.count)
                        content.appendRaw(inner.bytes)
                    }
                    guard content.bytes.count < Int(DICOMDataSet.undefinedLength) else {
                        throw EncodingError(description: "sequence \(element.tag) is too long for a defined length")
                    }
                    encoder.appendHeader(element.tag, vr: "SQ", length: content.bytes.count)
                    encoder.appendRaw(content.bytes)
                }
            }
        }
    }

    /// PS3.5 6.2: UI pads with NUL, the binary VRs with a zero byte, text with a space.
    private static func padding(for vr: String) -> UInt8 {
        vr == "UI" || !textVRs.contains(vr) ? 0 : UInt8(ascii: " ")
    }

    private static let textVRs: Set<String> = ["AE", "AS", "CS", "DA", "DS", "DT", "IS", "LO", "LT", "PN", "SH", "ST",
                                               "TM", "UC", "UR", "UT"]

    /// The longest value (one of several, for multi-valued VRs) PS3.5 table 6.2-1 allows.
    private static let maximumValueLength: [String: Int] = [
        "AE": 16, "AS": 4, "CS": 16, "DA": 8, "DS": 16, "IS": 12, "LO": 64, "SH": 16, "TM": 14, "UI": 64,
        "ST": 1024, "LT": 10240,
    ]

    private static func check(_ value: [UInt8], of element: DICOMDataElement) throws {
        let vr = element.vr
        func refuse(_ what: String) -> EncodingError {
            let text = String(decoding: value.prefix(40), as: UTF8.self)
            return EncodingError(description: "\(element.tag) '\(text)' \(what)")
        }
        // ST and LT hold one value, backslashes and all; the others split at backslashes.
        let values = vr == "ST" || vr == "LT" ? [value[...]] : value.split(separator: UInt8(ascii: "\\"), omittingEmptySubsequences: false)
        if let limit = maximumValueLength[vr], values.contains(where: { $0.count > limit }) {
            throw refuse("is longer than the \(limit) characters a \(vr) value may have")
        }
        switch vr {
        case "CS":
            let allowed = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _\\".utf8)
            guard value.allSatisfy(allowed.contains) else {
                throw refuse("is not a code string (upper-case letters, digits, space and underscore only)")
            }
        case "UI":
            let allowed = Set("0123456789.\\".utf8)
            guard value.allSatisfy(allowed.contains) else { throw refuse("is not a UID (digits and dots only)") }
        default:
            break
        }
    }
}
