import Foundation

/// One attribute as found in a file: its VR and where its value lies in the data set's bytes.
struct DICOMElement {
    let tag: DICOMTag
    /// The VR spelled in the file (explicit VR) or looked up in `DICOMDictionary` ("UN" if unknown).
    let vr: String
    /// The value bytes; empty for encapsulated pixel data.
    let value: Range<Int>
    /// Encapsulated pixel data only: the fragments after the Basic Offset Table, in file order.
    let fragments: [Range<Int>]?
    /// Encapsulated pixel data only: the Basic Offset Table item's value (empty when the table is).
    var offsetTable: Range<Int>? = nil
    /// Sequences only: the items' data sets, in order.
    var items: [DICOMDataSet]? = nil
}

/// The attributes of a DICOM data set in one encoding (PS3.5 section 7).
///
/// Sequences (defined or undefined length, nested, items of either kind) are kept as their
/// items' data sets (`DICOMElement.items`), so the image reader's lookups stay at the top level:
/// nested data sets (icon images, referenced images) hold decoy Rows/Columns/PixelData that must
/// not be taken for the image's.
struct DICOMDataSet {
    let bytes: [UInt8]
    let file: String
    let bigEndian: Bool
    fileprivate(set) var elements: [DICOMTag: DICOMElement] = [:]

    /// Deeper nesting than this is treated as corruption rather than recursed into.
    static let maximumNesting = 64
    static let undefinedLength: UInt32 = 0xFFFF_FFFF

    /// Parses elements from `offset` while `shouldContinue` accepts the next tag (to stop after
    /// the meta group) or until the end of `bytes`. Returns the data set and the offset it stopped at.
    static func parse(_ bytes: [UInt8], from offset: Int, explicitVR: Bool, bigEndian: Bool, file: String,
                      while shouldContinue: (DICOMTag) -> Bool = { _ in true }) throws -> (DICOMDataSet, end: Int) {
        var parser = Parser(reader: DICOMByteReader(bytes: bytes, file: file, offset: offset, bigEndian: bigEndian))
        try parser.readDataSet(depth: 0, explicitVR: explicitVR, insideItem: false, while: shouldContinue)
        var dataSet = DICOMDataSet(bytes: bytes, file: file, bigEndian: bigEndian)
        dataSet.elements = parser.elements
        return (dataSet, parser.reader.offset)
    }

    subscript(tag: DICOMTag) -> DICOMElement? { elements[tag] }

    /// The whole value as text, without the trailing space/NUL padding; nil if absent or empty.
    func string(_ tag: DICOMTag) -> String? {
        guard let element = elements[tag] else { return nil }
        let text = String(decoding: bytes[element.value], as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\0")))
        return text.isEmpty ? nil : text
    }

    /// The first of a multi-valued (backslash-separated) text value.
    func firstValue(_ tag: DICOMTag) -> String? {
        guard let text = string(tag) else { return nil }
        let first = text.split(separator: "\\", omittingEmptySubsequences: false).first.map(String.init) ?? text
        let trimmed = first.trimmingCharacters(in: .whitespaces)
        return trimmed.isEmpty ? nil : trimmed
    }

    /// A US (unsigned 16-bit) value; nil if absent, an error if too short to hold one.
    func unsignedShort(_ tag: DICOMTag, _ name: String) throws -> Int? {
        guard let element = elements[tag] else { return nil }
        guard element.value.count >= 2 else {
            throw DataError(file: file, "\(name) \(tag) has \(element.value.count) value bytes, expected 2; the header is corrupt")
        }
        let (a, b) = (Int(bytes[element.value.lowerBound]), Int(bytes[element.value.lowerBound + 1]))
        return bigEndian ? (a << 8 | b) : (b << 8 | a)
    }

    /// Every value of a multi-valued DS attribute (e.g. PixelSpacing); nil if absent.
    func decimals(_ tag: DICOMTag, _ name: String) throws -> [Double]? {
        guard let text = string(tag) else { return nil }
        let values = text.split(separator: "\\").map { Double($0.trimmingCharacters(in: .whitespaces)) }
        guard values.allSatisfy({ $0?.isFinite == true }) else {
            throw DataError(file: file, "\(name) \(tag) is '\(text)', not a list of numbers; fix or remove the attribute")
        }
        return values.compactMap { $0 }
    }

    /// Every value of a multi-valued text attribute, trimmed.
    func strings(_ tag: DICOMTag) -> [String] {
        guard let text = string(tag) else { return [] }
        return text.split(separator: "\\", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
    }

    /// The first value of a DS or IS attribute as a number; nil if absent, an error if not a number.
    func decimal(_ tag: DICOMTag, _ name: String) throws -> Double? {
        guard let text = firstValue(tag) else { return nil }
        guard let value = Double(text), value.isFinite else {
            throw DataError(file: file, "\(name) \(tag) is '\(text)', not a number; fix or remove the attribute")
        }
        return value
    }
}

/// The recursive walk behind `DICOMDataSet.parse`.
private struct Parser {
    var reader: DICOMByteReader
    var elements: [DICOMTag: DICOMElement] = [:]

    private func corrupt(_ what: String) -> DataError {
        DataError(file: reader.file, "corrupt DICOM data at byte \(reader.offset): \(what); the file is damaged or not in the transfer syntax it declares")
    }

    /// Elements until the end of the data (top level), or the item delimiter (an item of undefined length).
    mutating func readDataSet(depth: Int, explicitVR: Bool, insideItem: Bool, while shouldContinue: (DICOMTag) -> Bool) throws {
        while true {
            if reader.isAtEnd {
                if insideItem { throw reader.truncated("an item of undefined length without its delimiter", needing: 8) }
                return
            }
            if let next = reader.peekTag(), !shouldContinue(next) { return }
            let tag = try reader.tag()
            if tag == .itemDelimitation && insideItem {
                _ = try reader.uint32("item delimiter length")
                return
            }
            guard tag.group != 0xFFFE else { throw corrupt("item tag \(tag) outside a sequence") }
            let (vr, length) = try header(of: tag, explicitVR: explicitVR)
            if length == DICOMDataSet.undefinedLength {
                if tag == .pixelData {
                    // Encapsulated (at depth > 0, an icon's): fragments, not data sets.
                    let start = reader.offset
                    let (offsetTable, fragments) = try readFragments()
                    var element = DICOMElement(tag: tag, vr: vr, value: start..<start, fragments: fragments)
                    element.offsetTable = offsetTable
                    elements[tag] = element
                } else {
                    // SQ, or UN/implicit of undefined length, whose content is implicit VR (PS3.5 6.2.2).
                    let start = reader.offset
                    let items = try readSequence(depth: depth + 1, explicitVR: explicitVR && vr == "SQ", definedEnd: nil)
                    elements[tag] = DICOMElement(tag: tag, vr: "SQ", value: start..<reader.offset, fragments: nil, items: items)
                }
            } else if vr == "SQ" {
                let value = try reader.take(Int(length), for: "the value of \(tag)")
                var inner = reader
                inner.offset = value.lowerBound
                inner.end = value.upperBound
                var nested = Parser(reader: inner)
                // A defined length bounds the damage: a sequence whose items do not parse is kept empty.
                let items = (try? nested.readSequence(depth: depth + 1, explicitVR: explicitVR, definedEnd: value.upperBound)) ?? []
                elements[tag] = DICOMElement(tag: tag, vr: vr, value: value, fragments: nil, items: items)
            } else {
                let value = try reader.take(Int(length), for: "the value of \(tag)")
                elements[tag] = DICOMElement(tag: tag, vr: vr, value: value, fragments: nil)
            }
        }
    }

    /// The VR and value length that follow a tag (PS3.5 7.1.2 explicit, 7.1.3 implicit).
    private mutating func header(of tag: DICOMTag, explicitVR: Bool) throws -> (vr: String, length: UInt32) {
        guard explicitVR else {
            return (DICOMDictionary.valueRepresentation(of: tag) ?? "UN", try reader.uint32("the length of \(tag)"))
        }
        let vrBytes = try reader.take(2, for: "the VR of \(tag)")
        let (first, second) = (reader.bytes[vrBytes.lowerBound], reader.bytes[vrBytes.lowerBound + 1])
        let isLetter: (UInt8) -> Bool = { $0 >= UInt8(ascii: "A") && $0 <= UInt8(ascii: "Z") }
        guard isLetter(first), isLetter(second) else {
            throw corrupt("\(tag) has no valid VR (bytes \(first), \(second))")
        }
        let vr = String(decoding: [first, second], as: UTF8.self)
        if DICOMDictionary.longLengthVRs.contains(vr) {
            _ = try reader.take(2, for: "the reserved bytes of \(tag)")
            return (vr, try reader.uint32("the length of \(tag)"))
        }
        return (vr, UInt32(try reader.uint16("the length of \(tag)")))
    }

    /// The items of a sequence, up to its delimiter (undefined length) or `definedEnd`.
    mutating func readSequence(depth: Int, explicitVR: Bool, definedEnd: Int?) throws -> [DICOMDataSet] {
        guard depth <= DICOMDataSet.maximumNesting else { throw corrupt("sequences nested deeper than \(DICOMDataSet.maximumNesting)") }
        var items: [DICOMDataSet] = []
        while true {
            if definedEnd != nil && reader.isAtEnd { return items }
            let tag = try reader.tag()
            let length = try reader.uint32("the length of item \(tag)")
            var item = Parser(reader: reader)
            switch tag {
            case .sequenceDelimitation where definedEnd == nil:
                return items
            case .item where length == DICOMDataSet.undefinedLength:
                try item.readDataSet(depth: depth, explicitVR: explicitVR, insideItem: true, while: { _ in true })
                reader.offset = item.reader.offset
            case .item:
                let value = try reader.take(Int(length), for: "an item of \(length) bytes")
                item.reader.offset = value.lowerBound
                item.reader.end = value.upperBound
                // An item of defined length that does not parse (private encodings) is kept empty.
                do { try item.readDataSet(depth: depth, explicitVR: explicitVR, insideItem: false, while: { _ in true }) }
                catch { item.elements = [:] }
            default:
                throw corrupt("\(tag) where a sequence item or delimiter was expected")
            }
            var dataSet = DICOMDataSet(bytes: reader.bytes, file: reader.file, bigEndian: reader.bigEndian)
            dataSet.elements = item.elements
            items.append(dataSet)
        }
    }

    /// Encapsulated pixel data (PS3.5 A.4): a Basic Offset Table item, fragment items, a delimiter.
    private mutating func readFragments() throws -> (offsetTable: Range<Int>, fragments: [Range<Int>]) {
        var fragments: [Range<Int>] = []
        var offsetTable: Range<Int>?
        while true {
            let tag = try reader.tag()
            let length = try reader.uint32("the length of a pixel data fragment")
            if tag == .sequenceDelimitation { return (offsetTable ?? reader.offset..<reader.offset, fragments) }
            guard tag == .item, length != DICOMDataSet.undefinedLength else {
                throw corrupt("\(tag) inside encapsulated pixel data, where a fragment item was expected")
            }
            let value = try reader.take(Int(length), for: "a pixel data fragment of \(length) bytes")
            if offsetTable == nil { offsetTable = value } else { fragments.append(value) }
        }
    }
}
