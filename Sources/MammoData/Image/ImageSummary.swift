import Foundation

/// A description of an image file: format, geometry, encoding and the statistics of its stored
/// values (before any import transform). `description` is what `mammoseg info` prints.
public struct ImageSummary: CustomStringConvertible, Sendable {
    public let path: String
    public let format: ImageFileFormat
    public let width: Int
    public let height: Int
    /// Bits per sample in the file (DICOM: BitsAllocated).
    public let bitDepth: Int
    /// DICOM only: the significant bits of each sample.
    public var bitsStored: Int?
    public var signed = false
    public var photometricInterpretation: String?
    /// DICOM: the transfer syntax name and UID; PGM: the variant and maxval.
    public var encoding: String?
    public var laterality: String?
    public var viewPosition: String?
    public var patientID: String?
    public var seriesDescription: String?
    public var rescale: (slope: Double, intercept: Double)?
    public var window: (center: Double, width: Double)?
    /// DICOM: pixel semantics, one line each as `info` prints them (frames, modality LUT,
    /// windows with their function, VOI LUTs, padding, presentation LUT shape, pixel spacing).
    public var semantics: [String] = []
    public let minimum: Int
    public let maximum: Int
    public let mean: Double

    init<Values: Sequence>(path: String, format: ImageFileFormat, width: Int, height: Int, bitDepth: Int,
                           storedValues: Values) where Values.Element == Int {
        self.path = path; self.format = format; self.width = width; self.height = height; self.bitDepth = bitDepth
        var (low, high, sum, count) = (Int.max, Int.min, 0.0, 0)
        for value in storedValues {
            low = min(low, value); high = max(high, value); sum += Double(value); count += 1
        }
        minimum = count > 0 ? low : 0
        maximum = count > 0 ? high : 0
        mean = count > 0 ? sum / Double(count) : 0
    }

    public var description: String {
        var lines = ["\(path)", "  format: \(format.rawValue)" + (encoding.map { ", \($0)" } ?? "")]
        lines.append("  size: \(width) x \(height) (width x height)")
        var bits = "  bits: \(bitDepth)"
        if let bitsStored { bits += " allocated, \(bitsStored) stored" }
        lines.append(bits + (signed ? ", signed" : ", unsigned"))
        if let photometricInterpretation { lines.append("  photometric: \(photometricInterpretation)") }
        if laterality != nil || viewPosition != nil {
            lines.append("  laterality: \(laterality ?? "-"), view: \(viewPosition ?? "-")")
        }
        if let patientID { lines.append("  patient: \(patientID)") }
        if let seriesDescription { lines.append("  series: \(seriesDescription)") }
        // DICOM files list rescale and windows among their pixel semantics.
        if let rescale, format != .dicom { lines.append("  rescale: slope \(Self.number(rescale.slope)), intercept \(Self.number(rescale.intercept))") }
        if let window, format != .dicom { lines.append("  window: center \(Self.number(window.center)), width \(Self.number(window.width))") }
        lines += semantics.map { "  " + $0 }
        lines.append("  stored values: min \(minimum), max \(maximum), mean \(String(format: "%.1f", mean))")
        return lines.joined(separator: "\n")
    }

    static func number(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
