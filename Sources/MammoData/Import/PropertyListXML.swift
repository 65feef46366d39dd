import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An Apple XML property list (what OsiriX writes, e.g. INbreast's `AllXML/*.xml`), parsed with
/// `XMLParser` so that every value keeps the line it was on: errors in a large annotation file
/// then name the line. `PropertyListSerialization` would give no position.
indirect enum PropertyListXML {
    case dictionary([String: PropertyListXML], line: Int)
    case array([PropertyListXML], line: Int)
    case string(String, line: Int)
    case number(Double, line: Int)
    case boolean(Bool, line: Int)
    /// `<date>`, `<data>`: kept as text, never interpreted here.
    case other(String, line: Int)

    var line: Int {
        switch self {
        case .dictionary(_, let line), .array(_, let line), .string(_, let line), .number(_, let line),
             .boolean(_, let line), .other(_, let line):
            return line
        }
    }

    subscript(key: String) -> PropertyListXML? {
        if case .dictionary(let entries, _) = self { return entries[key] }
        return nil
    }

    var arrayValue: [PropertyListXML]? { if case .array(let items, _) = self { return items }; return nil }
    var stringValue: String? { if case .string(let text, _) = self { return text }; return nil }

    /// Parses the file; a syntax error or an element a plist cannot hold throws `FILE: line N: …`.
    static func read(_ path: String) throws -> PropertyListXML {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError(file: path, "cannot be read; check the path and permissions")
        }
        let builder = Builder(file: path)
        let parser = XMLParser(data: data)
        parser.delegate = builder
        let ok = parser.parse()
        if let error = builder.error { throw error }
        guard ok, let root = builder.root else {
            let line = builder.syntaxErrorLine ?? parser.lineNumber
            let reason = (parser.parserError as NSError?).map { syntaxError(code: $0.code) } ?? "the document is incomplete"
            throw DataError(file: path, "line \(line): malformed XML (\(reason)); the file is damaged, restore it from the archive")
        }
        return root
    }

    /// Words for the `XMLParser.ErrorCode`s a damaged file gives most often.
    private static func syntaxError(code: Int) -> String {
        switch code {
        case 76: return "an end tag does not match its start tag"
        case 73, 77: return "a tag is not closed"
        case 5: return "the document ends early"
        case 4: return "the document is empty"
        case 9, 68: return "a character or entity is not allowed here"
        default: return "XML syntax error \(code)"
        }
    }

    /// Builds the tree from parser events: containers on a stack, text collected per leaf.
    private final class Builder: NSObject, XMLParserDelegate {
        let file: String
        var root: PropertyListXML?
        var error: DataError?
        /// Where the XML parser first found a syntax error (it may read on before `parse()` returns).
        var syntaxErrorLine: Int?
        private enum Open { case dictionary([String: PropertyListXML], pendingKey: String?, line: Int), array([PropertyListXML], line: Int) }
        private var stack: [Open] = []
        private var text = ""
        private var leafLine = 0

        init(file: String) { self.file = file }

        func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                    attributes: [String: String] = [:]) {
            let line = parser.lineNumber
            switch name {
            case "plist": break
            case "dict": stack.append(.dictionary([:], pendingKey: nil, line: line))
            case "array": stack.append(.array([], line: line))
            case "key", "string", "integer", "real", "true", "false", "date", "data": text = ""; leafLine = line
            default: fail(parser, "unexpected element <\(name)> in a property list")
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) {
            if syntaxErrorLine == nil { syntaxErrorLine = parser.lineNumber }
        }

        func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
            switch name {
            case "plist": break
            case "dict":
                guard case .dictionary(let entries, let key, let line)? = stack.popLast() else { return fail(parser, "</dict> without <dict>") }
                if let key { return fail(parser, "key '\(key)' has no value") }
                add(.dictionary(entries, line: line), parser)
            case "array":
                guard case .array(let items, let line)? = stack.popLast() else { return fail(parser, "</array> without <array>") }
                add(.array(items, line: line), parser)
            case "key":
                guard case .dictionary(let entries, nil, let line)? = stack.last else { return fail(parser, "<key> outside a <dict> or two keys in a row") }
                stack[stack.count - 1] = .dictionary(entries, pendingKey: text, line: line)
            case "string": add(.string(text, line: leafLine), parser)
            case "integer", "real":
                guard let value = Double(text.trimmingCharacters(in: .whitespacesAndNewlines)) else {
                    return fail(parser, "<\(name)>\(text)</\(name)> is not a number")
                }
                add(.number(value, line: leafLine), parser)
            case "true", "false": add(.boolean(name == "true", line: leafLine), parser)
            case "date", "data": add(.other(text, line: leafLine), parser)
            default: break
            }
        }

        private func add(_ value: PropertyListXML, _ parser: XMLParser) {
            switch stack.last {
            case nil:
                root = value
            case .array(var items, let line)?:
                items.append(value); stack[stack.count - 1] = .array(items, line: line)
            case .dictionary(var entries, let key?, let line)?:
                entries[key] = value; stack[stack.count - 1] = .dictionary(entries, pendingKey: nil, line: line)
            case .dictionary(_, nil, _)?:
                fail(parser, "a value without its <key> in a <dict>")
            }
        }

        private func fail(_ parser: XMLParser, _ what: String) {
            guard error == nil else { return }
            error = DataError(file: file, "line \(parser.lineNumber): \(what); the file is not a valid property list")
            parser.abortParsing()
        }
    }
}
