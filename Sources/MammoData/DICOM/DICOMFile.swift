import Foundation
import ImageCodecs

/// A grayscale DICOM image (PS3.10 file or raw data set), parsed and one frame decoded.
///
/// Reads the uncompressed transfer syntaxes, deflate and RLE Lossless (`DICOMTransferSyntax`)
/// and the compressed ones (`DICOMCompressedSyntax`: JPEG, JPEG-LS, JPEG 2000, HTJ2K) through
/// `ImageCodecs`. Every read is bounds-checked: bad files throw a `DataError` naming the file,
/// never trap.
public struct DICOMFile: Sendable {
    public enum PixelRepresentation: Int, Sendable { case unsigned = 0, signed = 1 }

    public let path: String
    public let rows: Int
    public let columns: Int
    public let bitsAllocated: Int
    public let bitsStored: Int
    public let highBit: Int
    public let pixelRepresentation: PixelRepresentation
    /// "MONOCHROME1" (dense tissue dark) or "MONOCHROME2" (dense tissue bright).
    public let photometricInterpretation: String
    public let transferSyntaxUID: String
    public var transferSyntaxName: String { DICOMTransferSyntax.name(ofUID: transferSyntaxUID) }
    /// NumberOfFrames (1 when absent) and the frame decoded (1-based, as DICOM numbers frames).
    public let numberOfFrames: Int
    public let frameNumber: Int
    /// RescaleSlope / RescaleIntercept as written (1 and 0 when absent).
    public let rescaleSlope: Double
    public let rescaleIntercept: Double
    public let rescaleType: String?
    /// The Modality LUT in force: the Modality LUT Sequence if present, else the rescale.
    public let modalityTransform: DICOMModalityTransform
    /// Every VOI window of the file, with its function (VOILUTFunction) and explanation.
    public let windows: [DICOMWindow]
    /// The items of the VOI LUT Sequence.
    public let voiLookupTables: [DICOMLookupTable]
    /// Stored values that mark padding (Pixel Padding Value, up to Pixel Padding Range Limit).
    public let paddingRange: ClosedRange<Int32>?
    /// PresentationLUTShape (2050,0020): IDENTITY or INVERSE, shown by `info`; not applied.
    public let presentationLUTShape: String?
    /// PixelSpacing (0028,0030) and ImagerPixelSpacing (0018,1164), row then column, in mm.
    public let pixelSpacing: [Double]?
    public let imagerPixelSpacing: [Double]?
    /// mm per pixel for resampling: PixelSpacing, else ImagerPixelSpacing (what CR/DX/MG
    /// detectors and digitisers write), as the mean of row and column; nil when neither is there
    /// with finite, positive values (most CBIS-DDSM and MIAS files: prepared by longest side).
    public var meanPixelSpacing: Double? {
        for values in [pixelSpacing, imagerPixelSpacing] {
            guard let values, !values.isEmpty, values.allSatisfy({ $0.isFinite && $0 > 0 }) else { continue }
            return values.reduce(0, +) / Double(values.count)
        }
        return nil
    }
    /// The first of the file's VOI windows, if any.
    public var windowCenter: Double? { windows.first?.center }
    public var windowWidth: Double? { windows.first?.width }
    /// ImageLaterality (0020,0062), else Laterality (0020,0060): "L" or "R".
    public let laterality: String?
    /// ViewPosition (0018,5101), e.g. "CC", "MLO".
    public let viewPosition: String?
    public let patientID: String?
    public let studyInstanceUID: String?
    public let seriesDescription: String?
    public let seriesInstanceUID: String?
    /// rows × columns stored values of the frame, row-major: masked to BitsStored and
    /// sign-extended when signed (compressed frames: as the codec gives them, sign-extended
    /// from BitsStored when the codec is unsigned and the pixels signed, as pydicom does).
    public let storedValues: [Int32]

    /// The range of stored values that BitsStored allows, e.g. 0…4095 or −2048…2047 for 12 bits.
    public var storedRange: ClosedRange<Int32> {
        pixelRepresentation == .signed
            ? -(Int32(1) << (bitsStored - 1))...((Int32(1) << (bitsStored - 1)) - 1)
            : 0...Int32((Int64(1) << bitsStored) - 1)
    }

    /// Reads the file and decodes frame `frame` (1-based; nil: the file must have one frame).
    public init(path: String, frame: Int? = nil, limits: ReadLimits = .current) throws {
        try self.init(bytes: try Self.readBytes(path), path: path, frame: frame, limits: limits)
    }

    /// Parses `bytes` as a DICOM file named `path` (for messages) and decodes one frame.
    public init(bytes: [UInt8], path: String, frame: Int? = nil, limits: ReadLimits = .current) throws {
        self.path = path
        let (syntaxUID, _) = try Self.locateDataSet(bytes, file: path)
        let native = DICOMTransferSyntax(rawValue: syntaxUID)
        let compressed = DICOMCompressedSyntax(rawValue: syntaxUID)
        guard native != nil || compressed != nil else {
            throw DataError(file: path, "unsupported transfer syntax \(syntaxUID) (\(DICOMTransferSyntax.name(ofUID: syntaxUID))); convert it to an uncompressed one first, e.g. with gdcmconv --raw or dcmdjpeg")
        }
        transferSyntaxUID = syntaxUID
        // The meta group is parsed a second time here; it is a few hundred bytes.
        let dataSet = try Self.parseDataSet(bytes, path: path, limits: limits).dataSet

        func required(_ tag: DICOMTag, _ name: String) throws -> Int {
            guard let value = try dataSet.unsignedShort(tag, name) else {
                throw DataError(file: path, "no \(name) \(tag) in the header; this is not an image (a DICOM report or structured document?)")
            }
            return value
        }
        rows = try required(.rows, "Rows")
        columns = try required(.columns, "Columns")
        bitsAllocated = try required(.bitsAllocated, "BitsAllocated")
        bitsStored = try dataSet.unsignedShort(.bitsStored, "BitsStored") ?? bitsAllocated
        highBit = try dataSet.unsignedShort(.highBit, "HighBit") ?? (bitsStored - 1)
        let representation = try dataSet.unsignedShort(.pixelRepresentation, "PixelRepresentation") ?? 0
        pixelRepresentation = representation == 1 ? .signed : .unsigned
        photometricInterpretation = dataSet.string(.photometricInterpretation) ?? "MONOCHROME2"
        rescaleSlope = try dataSet.decimal(.rescaleSlope, "RescaleSlope") ?? 1
        rescaleIntercept = try dataSet.decimal(.rescaleIntercept, "RescaleIntercept") ?? 0
        rescaleType = dataSet.string(.rescaleType)
        laterality = dataSet.string(.imageLaterality) ?? dataSet.string(.laterality)
        viewPosition = dataSet.string(.viewPosition)
        patientID = dataSet.string(.patientID)
        studyInstanceUID = dataSet.string(.studyInstanceUID)
        seriesDescription = dataSet.string(.seriesDescription)
        seriesInstanceUID = dataSet.string(.seriesInstanceUID)
        presentationLUTShape = dataSet.string(.presentationLUTShape)
        pixelSpacing = try dataSet.decimals(.pixelSpacing, "PixelSpacing")
        imagerPixelSpacing = try dataSet.decimals(.imagerPixelSpacing, "ImagerPixelSpacing")

        numberOfFrames = try Self.validateImage(dataSet, rows: rows, columns: columns, bitsAllocated: bitsAllocated,
                                                bitsStored: bitsStored, highBit: highBit, representation: representation,
                                                photometric: photometricInterpretation, slope: rescaleSlope, file: path)
        if let frame {
            guard (1...numberOfFrames).contains(frame) else {
                throw DataError(file: path, "has \(numberOfFrames) frame(s), no frame \(frame); choose --frame 1 to \(numberOfFrames)")
            }
            frameNumber = frame
        } else {
            guard numberOfFrames == 1 else {
                throw DataError(file: path, "multi-frame image (\(numberOfFrames) frames); choose one with --frame 1 to \(numberOfFrames)")
            }
            frameNumber = 1
        }
        let signed = pixelRepresentation == .signed
        let semantics = try DICOMPixelSemantics(dataSet, signed: signed, rescale: (rescaleSlope, rescaleIntercept),
                                                file: path)
        modalityTransform = semantics.modality
        windows = semantics.windows
        voiLookupTables = semantics.voiLookupTables
        paddingRange = semantics.padding

        guard let pixelData = dataSet[.pixelData] else {
            throw DataError(file: path, "no PixelData (7FE0,0010); the file holds no image")
        }
        let layout = DICOMPixelLayout(rows: rows, columns: columns, bitsAllocated: bitsAllocated, bitsStored: bitsStored,
                                      highBit: highBit, signed: signed)
        try limits.checkPixels(width: columns, height: rows, file: path)
        // The codecs check their own headers against the same pixel limit before allocating.
        let decodeLimits = DecodeLimits(maximumSamples: limits.maxPixels)
        if let compressed {
            guard pixelData.fragments != nil else {
                throw DataError(file: path, "\(compressed.family.rawValue) transfer syntax but native (not encapsulated) PixelData; the file is damaged")
            }
            let codestream = try DICOMEncapsulatedFrames.codestream(frame: frameNumber - 1, of: numberOfFrames,
                                                                    pixelData: pixelData, in: dataSet)
            storedValues = try DICOMFrameDecoder.storedValues(codestream, syntax: compressed, layout: layout,
                                                              limits: decodeLimits, file: path)
        } else {
            storedValues = try layout.decode(pixelData, in: dataSet, rle: native == .rleLossless,
                                             frame: frameNumber - 1, of: numberOfFrames)
        }
    }

    public static func readBytes(_ path: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw DataError(file: path, "no such file; check the path")
        }
        guard !isDirectory.boolValue else { throw DataError(file: path, "is a folder, not a DICOM file; name a file inside it") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw DataError(file: path, "cannot be read; check its permissions")
        }
        guard !data.isEmpty else { throw DataError(file: path, "empty file (0 bytes); expected a DICOM image") }
        return [UInt8](data)
    }

    /// True if `bytes` start like a DICOM file: the PS3.10 preamble and "DICM", a meta group without
    /// preamble, or a raw data set (`ImageFile` uses this to dispatch by content).
    static func looksLikeDICOM(_ bytes: [UInt8]) -> Bool {
        hasPart10Marker(bytes) || startsWithMetaGroup(bytes) || sniffRawDataSet(bytes) != nil
    }

    private static func hasPart10Marker(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 132 && bytes[128..<132].elementsEqual("DICM".utf8)
    }

    private static func startsWithMetaGroup(_ bytes: [UInt8]) -> Bool {
        bytes.count >= 8 && bytes[0] == 0x02 && bytes[1] == 0x00 && isVRLetter(bytes[4]) && isVRLetter(bytes[5])
    }

    private static func isVRLetter(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") }

    /// Guesses the encoding of a data set without meta group from its first element: a group
    /// in 0x0004…0x0028 (where data sets start) read little or big endian, and letters where an
    /// explicit VR would be. Raw data sets are implicit VR LE unless the VR letters say otherwise.
    private static func sniffRawDataSet(_ bytes: [UInt8]) -> DICOMTransferSyntax? {
        guard bytes.count >= 8 else { return nil }
        let plausibleGroup: (Int) -> Bool = { $0 % 2 == 0 && (0x0004...0x0028).contains($0) }
        let explicitVR = isVRLetter(bytes[4]) && isVRLetter(bytes[5])
        if plausibleGroup(Int(bytes[0]) | Int(bytes[1]) << 8) {
            return explicitVR ? .explicitVRLittleEndian : .implicitVRLittleEndian
        }
        if plausibleGroup(Int(bytes[0]) << 8 | Int(bytes[1])) && explicitVR { return .explicitVRBigEndian }
        return nil
    }

    /// The transfer syntax UID and the offset where the data set proper begins.
    static func locateDataSet(_ bytes: [UInt8], file: String) throws -> (syntaxUID: String, bodyStart: Int) {
        let metaStart: Int
        if hasPart10Marker(bytes) {
            metaStart = 132
        } else if startsWithMetaGroup(bytes) {
            metaStart = 0
        } else if let syntax = sniffRawDataSet(bytes) {
            return (syntax.uid, 0)
        } else {
            throw DataError(file: file, "not a DICOM file (no 'DICM' marker at byte 128 and no DICOM data set at the start); check that this is a DICOM image")
        }
        let (meta, end) = try DICOMDataSet.parse(bytes, from: metaStart, explicitVR: true, bigEndian: false, file: file,
                                                 while: { $0.group == 0x0002 })
        guard let uid = meta.string(.transferSyntaxUID) else {
            throw DataError(file: file, "the file meta group has no TransferSyntaxUID (0002,0010); the file is damaged, re-export it")
        }
        return (uid, end)
    }

    /// The data set of the DICOM file `bytes` (inflated first for the deflated transfer syntax),
    /// its transfer syntax UID, and where the data set begins in `bytes`; parsing stops at the
    /// first tag `shouldContinue` rejects. One place for every reader: image, SEG and source header.
    static func parseDataSet(_ bytes: [UInt8], path: String, limits: ReadLimits,
                             while shouldContinue: (DICOMTag) -> Bool = { _ in true }) throws
        -> (dataSet: DICOMDataSet, syntaxUID: String, bodyStart: Int) {
        let (syntaxUID, bodyStart) = try locateDataSet(bytes, file: path)
        let syntax = DICOMTransferSyntax(rawValue: syntaxUID)
        let (body, start) = syntax == .deflatedExplicitVRLittleEndian
            ? (try RawDeflate.inflate(bytes[bodyStart...], limit: limits.maxDecompressedBytes, file: path), 0)
            : (bytes, bodyStart)
        let dataSet = try DICOMDataSet.parse(body, from: start, explicitVR: syntax?.isExplicitVR ?? true,
                                             bigEndian: syntax?.isBigEndian ?? false, file: path, while: shouldContinue).0
        return (dataSet, syntaxUID, bodyStart)
    }

    /// Checks the image pixel module; returns NumberOfFrames.
    private static func validateImage(_ dataSet: DICOMDataSet, rows: Int, columns: Int, bitsAllocated: Int, bitsStored: Int,
                                      highBit: Int, representation: Int, photometric: String, slope: Double, file: String) throws -> Int {
        func invalid(_ what: String) -> DataError { DataError(file: file, what) }
        guard rows > 0, columns > 0 else { throw invalid("image size \(columns)x\(rows) is empty; the header is damaged") }
        let samples = try dataSet.unsignedShort(.samplesPerPixel, "SamplesPerPixel") ?? 1
        guard samples == 1, photometric == "MONOCHROME1" || photometric == "MONOCHROME2" else {
            throw invalid("\(photometric) image with \(samples) sample(s) per pixel; only grayscale (MONOCHROME1/2) is supported, convert it to grayscale first")
        }
        let framesText = dataSet.firstValue(.numberOfFrames)
        let frames = framesText.map { Int($0) ?? -1 } ?? 1
        guard frames >= 1 else {
            throw invalid("NumberOfFrames is '\(framesText ?? "")', not a positive whole number; the header is damaged")
        }
        guard bitsAllocated == 8 || bitsAllocated == 16 else {
            throw invalid("BitsAllocated is \(bitsAllocated); only 8 and 16 are supported")
        }
        guard bitsStored >= 1, bitsStored <= bitsAllocated, highBit >= bitsStored - 1, highBit < bitsAllocated else {
            throw invalid("BitsStored \(bitsStored) / HighBit \(highBit) do not fit BitsAllocated \(bitsAllocated); the header is damaged")
        }
        guard representation == 0 || representation == 1 else {
            throw invalid("PixelRepresentation is \(representation), expected 0 (unsigned) or 1 (signed); the header is damaged")
        }
        guard slope != 0 else { throw invalid("RescaleSlope is 0, which erases the image; fix the header") }
        return frames
    }
}
