import Foundation

/// The map of a single-segment, single-frame DICOM Segmentation, read back as probabilities:
/// FRACTIONAL as stored value / MaximumFractionalValue, BINARY as 0 or 1. Reads native
/// (uncompressed, also deflated) files of any tool; refuses with a reason what it cannot take
/// (several segments or frames, encapsulated pixel data, another SOP class).
public struct DICOMSegmentationMap: Sendable {
    public let path: String
    public let rows: Int
    public let columns: Int
    public let isFractional: Bool
    /// The instance the Segmentation was derived from (first Derivation Image reference), if it says.
    public let referencedSOPInstanceUID: String?
    /// rows × columns values in [0, 1], row-major.
    public let probability: [Float]

    /// Whether `bytes` are a DICOM file of the Segmentation Storage SOP class (a cheap check of the header).
    public static func isSegmentation(path: String) -> Bool {
        guard let data = FileManager.default.contents(atPath: path) else { return false }
        return (try? parse([UInt8](data), path: path, limits: .current).dataSet.string(.sopClassUID)) == DICOMSegmentation.sopClassUID
    }

    public init(path: String, limits: ReadLimits = .current) throws {
        try self.init(bytes: try DICOMFile.readBytes(path), path: path, limits: limits)
    }

    public init(bytes: [UInt8], path: String, limits: ReadLimits = .current) throws {
        self.path = path
        let (dataSet, syntaxUID) = try Self.parse(bytes, path: path, limits: limits)
        func refuse(_ what: String) -> DataError { DataError(file: path, what) }
        guard dataSet.string(.sopClassUID) == DICOMSegmentation.sopClassUID else {
            throw refuse("is not a DICOM Segmentation (SOPClassUID \(dataSet.string(.sopClassUID) ?? "absent")); give a SEG written by predict --dicom-seg or another tool")
        }
        guard let native = DICOMTransferSyntax(rawValue: syntaxUID), native != .rleLossless else {
            throw refuse("Segmentation in the compressed transfer syntax \(DICOMTransferSyntax.name(ofUID: syntaxUID)); decompress it first (dcmdrle, gdcmconv --raw)")
        }
        guard let rows = try dataSet.unsignedShort(.rows, "Rows"), let columns = try dataSet.unsignedShort(.columns, "Columns"),
              let bits = try dataSet.unsignedShort(.bitsAllocated, "BitsAllocated") else {
            throw refuse("has no Rows, Columns or BitsAllocated; the Segmentation is damaged")
        }
        try limits.checkPixels(width: columns, height: rows, file: path)
        let segments = dataSet[.segmentSequence]?.items?.count ?? 0
        let frames = dataSet.firstValue(.numberOfFrames) ?? "1"
        guard segments == 1, frames == "1" else {
            throw refuse("has \(segments) segment(s) in \(frames) frame(s); only single-segment, single-frame Segmentations are read")
        }
        let type = dataSet.string(.segmentationType)
        let count = rows * columns
        guard let pixelData = dataSet[.pixelData], pixelData.fragments == nil else {
            throw refuse("has no native PixelData; the Segmentation is damaged")
        }
        let stored = dataSet.bytes[pixelData.value]
        switch (type, bits) {
        case ("FRACTIONAL", 8):
            guard let maximum = try dataSet.unsignedShort(.maximumFractionalValue, "MaximumFractionalValue"), maximum > 0 else {
                throw refuse("FRACTIONAL Segmentation without a positive MaximumFractionalValue (0062,000E); the file is damaged")
            }
            guard stored.count >= count else {
                throw refuse("PixelData has \(stored.count) bytes, \(columns)x\(rows) needs \(count); the file is truncated")
            }
            let scale = 1 / Float(maximum)
            probability = stored.prefix(count).map { min(1, Float($0) * scale) }
            isFractional = true
        case ("BINARY", 1):
            guard stored.count >= (count + 7) / 8 else {
                throw refuse("PixelData has \(stored.count) bytes, \(columns)x\(rows) bits need \((count + 7) / 8); the file is truncated")
            }
            let start = stored.startIndex
            probability = (0..<count).map { i in stored[start + i >> 3] >> UInt8(i & 7) & 1 == 1 ? 1 : 0 }
            isFractional = false
        default:
            throw refuse("SegmentationType \(type ?? "absent") with BitsAllocated \(bits); expected FRACTIONAL with 8 or BINARY with 1")
        }
        self.rows = rows
        self.columns = columns
        let derivation = dataSet[.perFrameFunctionalGroupsSequence]?.items?.first?[.derivationImageSequence]?.items?.first
            ?? dataSet[.sharedFunctionalGroupsSequence]?.items?.first?[.derivationImageSequence]?.items?.first
        referencedSOPInstanceUID = derivation?[.sourceImageSequence]?.items?.first?.string(.referencedSOPInstanceUID)
    }

    /// The data set (pixel data included) and the transfer syntax UID.
    private static func parse(_ bytes: [UInt8], path: String, limits: ReadLimits) throws -> (dataSet: DICOMDataSet, syntaxUID: String) {
        let parsed = try DICOMFile.parseDataSet(bytes, path: path, limits: limits)
        return (parsed.dataSet, parsed.syntaxUID)
    }
}
