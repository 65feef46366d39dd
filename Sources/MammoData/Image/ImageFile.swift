import Foundation

/// The image file formats the package reads, recognised by content, not by name.
public enum ImageFileFormat: String, Sendable {
    case png = "PNG"
    case dicom = "DICOM"
    case pgm = "PGM"
}

/// One entry point for reading a grayscale image from PNG, DICOM or PGM.
public enum ImageFile {
    /// The file's format, from its first bytes (PNG signature; DICOM preamble, meta group or raw
    /// data set; P5/P2 magic). Unknown content is an error that says what is supported.
    public static func format(of path: String) throws -> ImageFileFormat {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError(file: path, "no such file; check the path")
        }
        guard !isDirectory.boolValue else { throw DataError(file: path, "is a folder, not an image file; name a file inside it") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw DataError(file: path, "cannot be read; check its permissions")
        }
        defer { try? handle.close() }
        let head = [UInt8]((try? handle.read(upToCount: 132)) ?? Data())
        if head.isEmpty { throw DataError(file: path, "empty file (0 bytes); expected a PNG, DICOM or PGM image") }
        if head.starts(with: PNG.signature) { return .png }
        if head.count >= 2, head[0] == UInt8(ascii: "P"), head[1] == UInt8(ascii: "5") || head[1] == UInt8(ascii: "2") { return .pgm }
        if DICOMFile.looksLikeDICOM(head) { return .dicom }
        if head.starts(with: [0xFF, 0xD8, 0xFF]) {
            throw DataError(file: path, "JPEG images are not supported (lossy, 8-bit); use the original DICOM or a PNG")
        }
        throw DataError(file: path, "unknown image format; expected a PNG, DICOM (.dcm) or PGM (P5/P2) file")
    }

    /// Reads any supported file as a grayscale image: PNG and PGM as stored (PGM scaled to the
    /// full 8/16-bit range), DICOM through `DICOMFile.importedImage()` (16-bit, dense tissue bright).
    public static func readGray(_ path: String, limits: ReadLimits = .current) throws -> GrayImage {
        switch try format(of: path) {
        case .png: return try PNG.readGray(path, limits: limits)
        case .pgm: return try PGM.read(path, limits: limits)
        case .dicom: return try DICOMFile(path: path, limits: limits).importedImage()
        }
    }

    /// What `mammoseg info` prints about a file.
    public static func summary(_ path: String, frame: Int? = nil, limits: ReadLimits = .current) throws -> ImageSummary {
        switch try format(of: path) {
        case .png:
            let image = try PNG.readGray(path, limits: limits)
            return ImageSummary(path: path, format: .png, width: image.width, height: image.height,
                                bitDepth: image.bitDepth, storedValues: image.pixels.lazy.map(Int.init))
        case .pgm:
            let raster = try PGM.readRaster(path, limits: limits)
            var summary = ImageSummary(path: path, format: .pgm, width: raster.width, height: raster.height,
                                       bitDepth: raster.maxValue <= 255 ? 8 : 16, storedValues: raster.samples.lazy.map(Int.init))
            summary.encoding = (raster.plain ? "P2 (plain)" : "P5 (binary)") + ", maxval \(raster.maxValue)"
            return summary
        case .dicom:
            let file = try DICOMFile(path: path, frame: frame, limits: limits)
            var summary = ImageSummary(path: path, format: .dicom, width: file.columns, height: file.rows,
                                       bitDepth: file.bitsAllocated, storedValues: file.storedValues.lazy.map(Int.init))
            summary.bitsStored = file.bitsStored
            summary.signed = file.pixelRepresentation == .signed
            summary.photometricInterpretation = file.photometricInterpretation
            summary.encoding = "\(file.transferSyntaxName) (\(file.transferSyntaxUID))"
            summary.laterality = file.laterality
            summary.viewPosition = file.viewPosition
            summary.patientID = file.patientID
            summary.seriesDescription = file.seriesDescription
            if file.rescaleSlope != 1 || file.rescaleIntercept != 0 {
                summary.rescale = (file.rescaleSlope, file.rescaleIntercept)
            }
            if let center = file.windowCenter, let width = file.windowWidth { summary.window = (center, width) }
            summary.semantics = file.semanticsDescription
            return summary
        }
    }
}
