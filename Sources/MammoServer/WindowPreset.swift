import MammoData

/// A window the page offers, in the display copy's units (0…65535, dense tissue bright).
struct WindowPreset: Codable, Sendable, Equatable {
    var name: String
    var center: Double
    var width: Double

    /// The file's VOI windows (modality units) in display units: each end of the window goes through
    /// the import's full-range mapping (rescale or Modality LUT onto 0…65535, MONOCHROME1 inverted).
    static func fromDICOM(_ file: DICOMFile) -> [WindowPreset] {
        let low = Double(file.storedRange.lowerBound), span = Double(file.storedRange.upperBound) - low
        let invert = file.photometricInterpretation == "MONOCHROME1"
        func unit(_ x: Double) -> Double? {
            var u: Double
            switch file.modalityTransform {
            case let .rescale(slope, intercept):
                guard slope != 0, span > 0 else { return nil }
                u = ((x - intercept) / slope - low) / span
            case let .lookupTable(table):
                let range = table.range
                let tableSpan = Double(range.upperBound) - Double(range.lowerBound)
                guard tableSpan > 0 else { return nil }
                u = (x - Double(range.lowerBound)) / tableSpan
            }
            return invert ? 1 - u : u
        }
        return file.windows.enumerated().compactMap { index, window in
            guard window.isValid, let a = unit(window.center - window.width / 2), let b = unit(window.center + window.width / 2),
                  a.isFinite, b.isFinite, a != b else { return nil }
            let name = window.explanation.map { "VOI: \($0)" } ?? "VOI \(index + 1)"
            return WindowPreset(name: name, center: (a + b) / 2 * 65535, width: abs(b - a) * 65535)
        }
    }

    /// From the 0.5th to the 99.5th percentile of the non-zero (non-background) pixels.
    static func automatic(_ pixels: [UInt16]) -> WindowPreset {
        var histogram = [Int](repeating: 0, count: 65536)
        var count = 0
        for value in pixels where value > 0 { histogram[Int(value)] += 1; count += 1 }
        guard count > 0 else { return full }
        func percentile(_ q: Double) -> Double {
            let target = Int(Double(count) * q)
            var seen = 0
            for (value, n) in histogram.enumerated() {
                seen += n
                if seen > target { return Double(value) }
            }
            return 65535
        }
        let lo = percentile(0.005), hi = max(percentile(0.995), lo + 1)
        return WindowPreset(name: "Auto", center: (lo + hi) / 2, width: hi - lo)
    }

    static let full = WindowPreset(name: "Full range", center: 32767.5, width: 65536)
}
