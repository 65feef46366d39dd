import Foundation

/// Appends data elements in one encoding (PS3.5 section 7): explicit or implicit VR, little or
/// big endian. Values are padded to even length, UIDs with NUL and text with a space (PS3.5 6.2).
struct DICOMElementEncoder {
    let explicitVR: Bool
    let bigEndian: Bool
    private(set) var bytes: [UInt8] = []

    init(explicitVR: Bool, bigEndian: Bool) { self.explicitVR = explicitVR; self.bigEndian = bigEndian }

    mutating func appendUInt16(_ value: UInt16) {
        bytes += bigEndian ? [UInt8(value >> 8), UInt8(value & 0xFF)] : [UInt8(value & 0xFF), UInt8(value >> 8)]
    }

    mutating func appendUInt32(_ value: UInt32) {
        if bigEndian {
            appendUInt16(UInt16(value >> 16)); appendUInt16(UInt16(value & 0xFFFF))
        } else {
            appendUInt16(UInt16(value & 0xFFFF)); appendUInt16(UInt16(value >> 16))
        }
    }

    /// 16-bit words in this encoding's byte order (native pixel data), in one pass.
    mutating func appendWords(_ words: [UInt16]) {
        bytes.reserveCapacity(bytes.count + 2 * words.count)
        for word in words {
            let (high, low) = (UInt8(word >> 8), UInt8(word & 0xFF))
            if bigEndian { bytes.append(high); bytes.append(low) } else { bytes.append(low); bytes.append(high) }
        }
    }

    mutating func appendTag(_ tag: DICOMTag) { appendUInt16(tag.group); appendUInt16(tag.element) }

    /// Tag, VR (explicit only) and length. `length` nil means undefined (0xFFFFFFFF).
    mutating func appendHeader(_ tag: DICOMTag, vr: String, length: Int?) {
        appendTag(tag)
        let encodedLength = length.map { UInt32($0) } ?? DICOMDataSet.undefinedLength
        guard explicitVR else { appendUInt32(encodedLength); return }
        bytes += Array(vr.utf8)
        if DICOMDictionary.longLengthVRs.contains(vr) {
            bytes += [0, 0]
            appendUInt32(encodedLength)
        } else {
            appendUInt16(UInt16(encodedLength))
        }
    }

    /// A whole element whose value bytes are already in this encoding's byte order.
    mutating func append(_ tag: DICOMTag, vr: String, value: [UInt8]) {
        let padded = value.count % 2 == 0 ? value : value + [vr == "UI" || vr == "OB" ? 0 : UInt8(ascii: " ")]
        appendHeader(tag, vr: vr, length: padded.count)
        bytes += padded
    }

    /// A text value (CS, LO, SH, UI, DS, IS).
    mutating func append(_ tag: DICOMTag, vr: String, text: String) {
        append(tag, vr: vr, value: Array(text.utf8))
    }

    mutating func append(_ tag: DICOMTag, unsignedShort value: Int) {
        appendHeader(tag, vr: "US", length: 2)
        appendUInt16(UInt16(value))
    }

    /// A decimal string (DS) of at most 16 characters, as the VR allows.
    mutating func append(_ tag: DICOMTag, decimal value: Double) {
        append(tag, decimals: [value])
    }

    /// A multi-valued decimal string (`0.07\0.07`), each value at most 16 characters.
    mutating func append(_ tag: DICOMTag, decimals values: [Double]) {
        let texts = values.map { value in
            value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(format: "%.9g", value)
        }
        append(tag, vr: "DS", text: texts.joined(separator: "\\"))
    }

    /// An item or delimiter: tag and 4-byte length, no VR, in every encoding.
    mutating func appendItemHeader(_ tag: DICOMTag, length: Int) {
        appendTag(tag)
        appendUInt32(UInt32(length))
    }

    mutating func appendRaw(_ raw: [UInt8]) { bytes += raw }
}
