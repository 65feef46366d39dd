/// Bad input to an evaluation, prediction or report function, as one line:
/// what is wrong and what to do. The CLI prefixes the file it was reading.
public struct EvaluationError: Error, CustomStringConvertible, Equatable {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { reason }
}

/// Throws when `count` is not `width · height` (one value per pixel).
@usableFromInline
func checkPixelCount(_ count: Int, width: Int, height: Int, _ what: String) throws {
    guard width > 0, height > 0 else {
        throw EvaluationError("\(what): size \(width)x\(height) is empty; give a positive width and height")
    }
    guard count == width * height else {
        throw EvaluationError("\(what): has \(count) values but \(width)x\(height) needs \(width * height); check the map size")
    }
}
