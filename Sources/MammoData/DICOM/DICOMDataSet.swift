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
}

/// The top-level attributes of a DICOM data set in one encoding (PS3.5 section 7).
///
/// Sequences are walked (defined or undefined length, nested, items of either kind) but not
/// kept: the attributes an image reader needs are all at the top level, and nested data sets
/// (icon images, referenced images) hold decoy Rows/Columns/PixelData that must not be taken.
struct DICOMDataSet {
    let bytes: [UInt8]
    let file: String
    let bigEndian: Bool
    private(set) var elements: [DICOMTag: DICOMElement] = [:]

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

    /// The first value of a DS or IS attribute as a number; nil if absent, an error if not a number.
    func decimal(_ tag: DICOMTag, _ name: String) throws -> Double? {
        guard let text = firstValue(tag) else { return nil }
        guard let value = Double(text), value.isFinite else {
            throw DataError(file: file, "\(name) \(tag) is '\(text)', not a number; fix or remove the attribute")
        }
        return value
    }
}

extension DICOMDataSet {
    /// The items of a top-level sequence (defined or undefined length), each as a data set of
    /// its own top-level attributes; empty when the attribute is absent. Nested sequences are
    /// walked as at the top level, so a malformed item throws rather than traps.
    func items(of tag: DICOMTag, explicitVR: Bool) throws -> [DICOMDataSet] {
        guard let element = elements[tag] else { return [] }
        let explicitVR = explicitVR && element.vr == "SQ"
        var reader = DICOMByteReader(bytes: Array(bytes[element.value]), file: file, offset: 0, bigEndian: bigEndian)
        var items: [DICOMDataSet] = []
        while !reader.isAtEnd {
            let itemTag = try reader.tag()
            let length = try reader.uint32("the length of item \(itemTag)")
            if itemTag == .sequenceDelimitation { break }
            guard itemTag == .item else {
                throw DataError(file: file, "corrupt DICOM sequence \(tag): \(itemTag) where an item was expected; the file is damaged")
            }
            var parser = Parser(reader: reader)
            if length == DICOMDataSet.undefinedLength {
                try parser.readDataSet(depth: 0, explicitVR: explicitVR, insideItem: true, while: { _ in true })
            } else {
                let content = try reader.take(Int(length), for: "an item of \(length) bytes")
                parser = Parser(reader: DICOMByteReader(bytes: Array(reader.bytes[content]), file: file, offset: 0, bigEndian: bigEndian))
                try parser.readDataSet(depth: 0, explicitVR: explicitVR, insideItem: false, while: { _ in true })
            }
            var item = DICOMDataSet(bytes: parser.reader.bytes, file: file, bigEndian: bigEndian)
            item.elements = parser.elements
            items.append(item)
            if length == DICOMDataSet.undefinedLength { reader = parser.reader }
        }
        return items
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
                if tag == .pixelData && depth == 0 {
                    let fragments = try readFragments()
                    elements[tag] = DICOMElement(tag: tag, vr: vr, value: reader.offset..<reader.offset, fragments: fragments)
                } else {
                    // SQ, or UN/implicit of undefined length, whose content is implicit VR (PS3.5 6.2.2).
                    let start = reader.offset
                    try skipSequence(depth: depth + 1, explicitVR: explicitVR && vr == "SQ")
                    // Top-level sequences are kept as their items' bytes (read by `items(of:)`).
                    if depth == 0 { elements[tag] = DICOMElement(tag: tag, vr: vr, value: start..<reader.offset, fragments: nil) }
                }
            } else {
                let value = try reader.take(Int(length), for: "the value of \(tag)")
                if depth == 0 { elements[tag] = DICOMElement(tag: tag, vr: vr, value: value, fragments: nil) }
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

    /// Walks the items of a sequence of undefined length up to its delimiter, keeping nothing.
    private mutating func skipSequence(depth: Int, explicitVR: Bool) throws {
        guard depth <= DICOMDataSet.maximumNesting else { throw corrupt("sequences nested deeper than \(DICOMDataSet.maximumNesting)") }
        while true {
            let tag = try reader.tag()
            let length = try reader.uint32("the length of item \(tag)")
            switch tag {
            case .sequenceDelimitation:
                return
            case .item where length == DICOMDataSet.undefinedLength:
                try readDataSet(depth: depth, explicitVR: explicitVR, insideItem: true, while: { _ in true })
            case .item:
                _ = try reader.take(Int(length), for: "an item of \(length) bytes")
            default:
                throw corrupt("\(tag) where a sequence item or delimiter was expected")
            }
        }
    }

    /// Encapsulated pixel data (PS3.5 A.4): a Basic Offset Table item, fragment items, a delimiter.
    private mutating func readFragments() throws -> [Range<Int>] {
        var fragments: [Range<Int>] = []
        var isOffsetTable = true
        while true {
            let tag = try reader.tag()
            let length = try reader.uint32("the length of a pixel data fragment")
            if tag == .sequenceDelimitation { return fragments }
            guard tag == .item, length != DICOMDataSet.undefinedLength else {
                throw corrupt("\(tag) inside encapsulated pixel data, where a fragment item was expected")
            }
            let value = try reader.take(Int(length), for: "a pixel data fragment of \(length) bytes")
            if isOffsetTable { isOffsetTable = false } else { fragments.append(value) }
        }
    }
}
