/// The Modality LUT (PS3.3 C.11.1): stored value → modality value, either a linear rescale or
/// a lookup table from the Modality LUT Sequence.
public enum DICOMModalityTransform: Sendable, Equatable {
    case rescale(slope: Double, intercept: Double)
    case lookupTable(DICOMLookupTable)

    public static let identity = DICOMModalityTransform.rescale(slope: 1, intercept: 0)

    /// The modality value of a stored value. A huge slope can give ±infinity, never NaN
    /// (slope and intercept are finite and slope × 0 is 0).
    @inline(__always) public func value(_ stored: Int32) -> Double {
        switch self {
        case let .rescale(slope, intercept): return Double(stored) * slope + intercept
        case let .lookupTable(table): return Double(table.map(Int(stored)))
        }
    }

    /// Stored value → [0, 1]: where its modality value lies in the span the transform gives the
    /// whole BitsStored range (the import's full-range step). For a rescale this is the stored
    /// value's place in that range, whatever the slope's size (computing x first would overflow
    /// for a slope of 1e308 or lose every digit under an intercept of 1e20); a negative slope
    /// turns it around.
    func unitScale(storedRange: ClosedRange<Int32>) -> (Int32) -> Double {
        switch self {
        case let .rescale(slope, _):
            let low = Double(storedRange.lowerBound), span = Double(storedRange.upperBound) - low
            return slope > 0 ? { (Double($0) - low) / span } : { 1 - (Double($0) - low) / span }
        case let .lookupTable(table):
            // A flat table is refused on read (`DICOMPixelSemantics`), so the span is never zero.
            let range = table.range
            let low = Double(range.lowerBound), span = Double(range.upperBound) - low
            return { (Double(table.map(Int($0))) - low) / span }
        }
    }
}
