/// What the header says the stored values mean (PS3.3 C.7.6.3, C.11): the Modality LUT, the
/// VOI windows and VOI LUTs, and pixel padding. Read once; `DICOMFile` applies them on import.
struct DICOMPixelSemantics {
    let modality: DICOMModalityTransform
    let windows: [DICOMWindow]
    let voiLookupTables: [DICOMLookupTable]
    let padding: ClosedRange<Int32>?

    /// `rescale`: RescaleSlope / RescaleIntercept as the caller already read them.
    init(_ dataSet: DICOMDataSet, signed: Bool, rescale: (slope: Double, intercept: Double), file: String) throws {
        if let table = dataSet[.modalityLUTSequence]?.items?.first {
            let lut = try DICOMLookupTable(item: table, signedInput: signed, what: "the Modality LUT Sequence")
            guard lut.range.lowerBound < lut.range.upperBound else {
                throw DataError(file: file, "the Modality LUT maps every value to \(lut.range.lowerBound), which erases the image; the header is damaged")
            }
            modality = .lookupTable(lut)
        } else {
            modality = .rescale(slope: rescale.slope, intercept: rescale.intercept)
        }
        windows = try Self.windows(dataSet, file: file)
        // A VOI LUT's input is the modality value, which is signed whenever it can be negative.
        let signedVOIInput = signed || modality.canBeNegative
        voiLookupTables = try (dataSet[.voiLUTSequence]?.items ?? []).enumerated().map { index, item in
            try DICOMLookupTable(item: item, signedInput: signedVOIInput, what: "VOI LUT Sequence item \(index + 1)")
        }
        padding = Self.padding(dataSet, signed: signed)
    }

    /// Pairs WindowCenter / WindowWidth values (multi-valued alike) with the VOI LUT Function and
    /// the explanations. Windows that violate the function's minimum width are kept: `convert`
    /// refuses them by name rather than the whole file.
    private static func windows(_ dataSet: DICOMDataSet, file: String) throws -> [DICOMWindow] {
        let centers = dataSet.strings(.windowCenter), widths = dataSet.strings(.windowWidth)
        guard !centers.isEmpty, !widths.isEmpty else { return [] }
        let explanations = dataSet.strings(.windowCenterWidthExplanation)
        let functionText = dataSet.string(.voiLUTFunction)?.uppercased() ?? "LINEAR"
        guard let function = DICOMWindow.Function(rawValue: functionText) else {
            throw DataError(file: file, "VOILUTFunction (0028,1056) is '\(functionText)', expected LINEAR, LINEAR_EXACT or SIGMOID; fix or remove the attribute")
        }
        return try zip(centers, widths).enumerated().map { index, pair in
            guard let center = Double(pair.0), let width = Double(pair.1), center.isFinite, width.isFinite else {
                throw DataError(file: file, "window \(index + 1) (WindowCenter '\(pair.0)', WindowWidth '\(pair.1)') is not a pair of numbers; fix or remove the attributes")
            }
            let explanation = index < explanations.count && !explanations[index].isEmpty ? explanations[index] : nil
            return DICOMWindow(center: center, width: width, function: function, explanation: explanation)
        }
    }

    /// Pixel Padding Value alone marks one stored value; with Pixel Padding Range Limit, the range
    /// between the two. Both are US or SS like the pixels: implicit VR cannot say which, so the
    /// two bytes are read by PixelRepresentation.
    private static func padding(_ dataSet: DICOMDataSet, signed: Bool) -> ClosedRange<Int32>? {
        func value(_ tag: DICOMTag) -> Int32? {
            guard let element = dataSet[tag], element.value.count >= 2 else { return nil }
            let word = dataSet.words(element.value, count: 1)[0]
            return signed ? Int32(Int16(bitPattern: word)) : Int32(word)
        }
        guard let first = value(.pixelPaddingValue) else { return nil }
        let limit = value(.pixelPaddingRangeLimit) ?? first
        return min(first, limit)...max(first, limit)
    }
}

extension DICOMModalityTransform {
    var canBeNegative: Bool {
        switch self {
        case let .rescale(_, intercept): return intercept < 0
        case .lookupTable: return false
        }
    }
}
