import Foundation

extension DICOMFile {
    /// The import transform: a 16-bit `GrayImage` with dense tissue bright.
    ///
    /// 1. stored value s → x = s × RescaleSlope + RescaleIntercept (modality LUT);
    /// 2. the whole BitsStored range of s, rescaled the same way, is [lo, hi]; x maps linearly onto
    ///    0…65535: y = round((x − lo) / (hi − lo) × 65535) — no clipping of the data, no windowing;
    /// 3. MONOCHROME1 is inverted (y → 65535 − y) so that dense tissue is bright.
    ///
    /// Model input is then y / 65535, whatever the file's bit depth or vendor window.
    public func importedImage() -> GrayImage {
        let lo0 = Double(storedRange.lowerBound) * rescaleSlope + rescaleIntercept
        let hi0 = Double(storedRange.upperBound) * rescaleSlope + rescaleIntercept
        let (lo, hi) = (min(lo0, hi0), max(lo0, hi0))
        // A 1-bit image has lo < hi too (0 and 1), so the span is never zero (slope ≠ 0 is checked on read).
        let span = hi - lo
        let invert = photometricInterpretation == "MONOCHROME1"
        let pixels = storedValues.map { stored -> UInt16 in
            let x = Double(stored) * rescaleSlope + rescaleIntercept
            let y = Self.quantize((x - lo) / span)
            return invert ? 65535 - y : y
        }
        return GrayImage(width: columns, height: rows, bitDepth: 16, pixels: pixels)
    }

    /// The import transform with the file's first VOI window instead of the full range (step 2):
    /// y = clip((x − (c − 0.5)) / (w − 1) + 0.5, 0, 1) × 65535 (PS3.3 C.11.2.1.2.1, "LINEAR"),
    /// then MONOCHROME1 inverted. With `applyWindow: false` this is `importedImage()`.
    /// Throws if the file has no window or its width is below 1.
    public func importedImage(applyWindow: Bool) throws -> GrayImage {
        guard applyWindow else { return importedImage() }
        guard let center = windowCenter, let width = windowWidth else {
            throw DataError(file: path, "has no window (WindowCenter/WindowWidth 0028,1050/1051); convert without --window")
        }
        guard width >= 1 else {
            throw DataError(file: path, "WindowWidth is \(width), below the minimum of 1; convert without --window")
        }
        let invert = photometricInterpretation == "MONOCHROME1"
        let pixels = storedValues.map { stored -> UInt16 in
            let x = Double(stored) * rescaleSlope + rescaleIntercept
            // Width 1 is the standard's step function: below the center black, else white.
            let t = width == 1 ? (x < center - 0.5 ? 0 : 1) : (x - (center - 0.5)) / (width - 1) + 0.5
            let y = Self.quantize(min(max(t, 0), 1))
            return invert ? 65535 - y : y
        }
        return GrayImage(width: columns, height: rows, bitDepth: 16, pixels: pixels)
    }

    /// [0, 1] → 0…65535, rounding half up (the fixture script uses floor(v × 65535 + 0.5) too).
    @inline(__always) private static func quantize(_ unit: Double) -> UInt16 {
        UInt16(min(max((unit * 65535 + 0.5).rounded(.down), 0), 65535))
    }
}
