import Foundation

extension DICOMFile {
    /// The import transform: a 16-bit `GrayImage` with dense tissue bright.
    ///
    /// 1. stored value s → modality value x: s × RescaleSlope + RescaleIntercept, or the Modality
    ///    LUT Sequence's table;
    /// 2. the span [lo, hi] that step 1 gives the whole BitsStored range (a table: its smallest and
    ///    largest entry) maps linearly onto 0…65535: y = round((x − lo) / (hi − lo) × 65535) — no
    ///    clipping of the data, no windowing. For a rescale this is the stored value's place in the
    ///    BitsStored range (reversed for a negative slope), computed without forming x, so a slope
    ///    of 1e308 or an intercept of 1e20 change nothing;
    /// 3. MONOCHROME1 is inverted (y → 65535 − y) so that dense tissue is bright;
    /// 4. padding (stored values in Pixel Padding Value … Range Limit) becomes 0, background.
    ///
    /// Model input is then y / 65535, whatever the file's bit depth or vendor window.
    public func importedImage() -> GrayImage {
        let unit = modalityTransform.unitScale(storedRange: storedRange)
        return image { unit($0) }
    }

    /// The import transform with the file's first VOI transform instead of the full range (step 2):
    /// its first window through its VOI LUT Function (LINEAR: y = clip((x − (c − 0.5)) / (w − 1) + 0.5, 0, 1);
    /// LINEAR_EXACT: clip((x − c) / w + 0.5, 0, 1); SIGMOID: 1 / (1 + exp(−4 (x − c) / w)), PS3.3 C.11.2.1.2),
    /// or, without a window, the first VOI LUT Sequence table (entry / (2^bits − 1)); then
    /// MONOCHROME1 inverted and padding 0. With `applyWindow: false` this is `importedImage()`.
    /// Throws if the file has neither, or the window's width is below the function's minimum.
    public func importedImage(applyWindow: Bool) throws -> GrayImage {
        guard applyWindow else { return importedImage() }
        if let window = windows.first {
            guard window.isValid else {
                throw DataError(file: path, "WindowWidth is \(window.width), below the minimum of \(window.function == .linear ? "1" : "0 (exclusive)") for \(window.function.rawValue); convert without --window")
            }
            let modality = modalityTransform
            return image { window.apply(modality.value($0)) }
        }
        if let table = voiLookupTables.first {
            let modality = modalityTransform
            let top = Double((1 << table.bitsPerEntry) - 1)
            return image { stored in
                let x = modality.value(stored)
                let input = x.isNaN ? 0 : Int(max(min(x.rounded(), 1e18), -1e18))
                return min(max(Double(table.map(input)) / top, 0), 1)
            }
        }
        throw DataError(file: path, "has no VOI window (WindowCenter/WindowWidth 0028,1050/1051) and no VOI LUT Sequence (0028,3010); convert without --window")
    }

    /// Steps 3 and 4 around a stored value → [0, 1] map.
    private func image(_ unit: (Int32) -> Double) -> GrayImage {
        let invert = photometricInterpretation == "MONOCHROME1"
        let padding = paddingRange
        var pixels = [UInt16](repeating: 0, count: storedValues.count)
        pixels.withUnsafeMutableBufferPointer { out in
            storedValues.withUnsafeBufferPointer { values in
                for i in 0..<values.count {
                    let stored = values[i]
                    if let padding, padding.contains(stored) { continue }
                    let y = Self.quantize(unit(stored))
                    out[i] = invert ? 65535 - y : y
                }
            }
        }
        return GrayImage(width: columns, height: rows, bitDepth: 16, pixels: pixels)
    }

    /// [0, 1] → 0…65535, rounding half up (the fixture script uses floor(v × 65535 + 0.5) too);
    /// NaN, which no finite header can produce, would give 0 rather than trap.
    @inline(__always) private static func quantize(_ unit: Double) -> UInt16 {
        let scaled = (unit * 65535 + 0.5).rounded(.down)
        return scaled >= 65535 ? 65535 : (scaled > 0 ? UInt16(scaled) : 0)
    }
}
