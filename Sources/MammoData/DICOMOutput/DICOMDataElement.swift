import Foundation

/// One attribute of a data set to be written: tag, VR and either value bytes (little endian,
/// unpadded) or the items of a sequence. `DICOMDataSetEncoder` lays them out.
struct DICOMDataElement: Sendable {
    enum Value: Sendable {
        case bytes([UInt8])
        case items([[DICOMDataElement]])
    }

    let tag: DICOMTag
    let vr: String
    let value: Value

    init(_ tag: DICOMTag, vr: String, bytes: [UInt8]) { self.tag = tag; self.vr = vr; value = .bytes(bytes) }

    /// A text value (AE, CS, DA, DS, IS, LO, PN, SH, ST, TM, UI, …); several values joined by `\`.
    static func text(_ tag: DICOMTag, _ vr: String, _ values: String...) -> DICOMDataElement {
        DICOMDataElement(tag, vr: vr, bytes: Array(values.joined(separator: "\\").utf8))
    }

    /// A zero-length value: a type 2 attribute whose value is unknown.
    static func empty(_ tag: DICOMTag, _ vr: String) -> DICOMDataElement { DICOMDataElement(tag, vr: vr, bytes: []) }

    static func unsignedShort(_ tag: DICOMTag, _ value: Int) -> DICOMDataElement {
        DICOMDataElement(tag, vr: "US", bytes: [UInt8(value & 0xFF), UInt8(value >> 8 & 0xFF)])
    }

    static func unsignedLong(_ tag: DICOMTag, _ value: UInt32) -> DICOMDataElement {
        DICOMDataElement(tag, vr: "UL", bytes: (0..<4).map { UInt8(value >> (8 * $0) & 0xFF) })
    }

    /// An attribute tag as a value (AT): group then element, each little endian.
    static func attributeTag(_ tag: DICOMTag, _ value: DICOMTag) -> DICOMDataElement {
        DICOMDataElement(tag, vr: "AT", bytes: [UInt8(value.group & 0xFF), UInt8(value.group >> 8),
                                                UInt8(value.element & 0xFF), UInt8(value.element >> 8)])
    }

    static func sequence(_ tag: DICOMTag, _ items: [[DICOMDataElement]]) -> DICOMDataElement {
        DICOMDataElement(tag: tag, vr: "SQ", value: .items(items))
    }

    /// A code sequence of one item (PS3.3 8.8): value, scheme, meaning.
    static func code(_ tag: DICOMTag, _ code: DICOMCode) -> DICOMDataElement {
        sequence(tag, [code.elements])
    }

    private init(tag: DICOMTag, vr: String, value: Value) { self.tag = tag; self.vr = vr; self.value = value }
}
