import Foundation

/// Writes a `GrayImage` as a PS3.10 Digital Mammography X-Ray Image file, in any transfer
/// syntax the reader supports, so that synthetic data can exercise every reader path end to end.
///
/// Layout: 128-byte zero preamble, "DICM", the meta group (explicit VR LE, led by its group
/// length), then the data set in `transferSyntax`: identification, laterality/view, the image
/// pixel module (8- or 16-bit unsigned, BitsStored = the image's bit depth), optional window and
/// rescale, and PixelData (OW for 16-bit, OB for 8-bit; encapsulated for RLE).
public enum DICOMWriter {
    public static func write(_ image: GrayImage, to path: String, attributes: DICOMAttributes = DICOMAttributes(),
                             transferSyntax: DICOMTransferSyntax = .explicitVRLittleEndian) throws {
        guard image.width <= 65535, image.height <= 65535 else {
            throw DataError(file: path, "image \(image.width)x\(image.height) exceeds DICOM's 65535 rows/columns; crop or downsample it first")
        }
        for (name, text) in [("patient ID", attributes.patientID), ("laterality", attributes.laterality),
                             ("view position", attributes.viewPosition), ("series description", attributes.seriesDescription),
                             ("series instance UID", attributes.seriesInstanceUID)] {
            guard let text, text.utf8.count > 64 else { continue }
            throw DataError(file: path, "the \(name) '\(text.prefix(20))…' is longer than the 64 characters DICOM allows; shorten it")
        }
        let bytes = try encode(image, attributes: attributes, transferSyntax: transferSyntax, file: path)
        try AtomicWrite.write(bytes, to: path, what: "DICOM file")
    }

    /// The complete file as bytes.
    static func encode(_ image: GrayImage, attributes: DICOMAttributes, transferSyntax: DICOMTransferSyntax,
                       file: String) throws -> [UInt8] {
        let sopInstanceUID = DICOMUID.make()
        var body = dataSet(image, attributes: attributes, sopInstanceUID: sopInstanceUID, syntax: transferSyntax)
        if transferSyntax == .deflatedExplicitVRLittleEndian {
            body = try RawDeflate.deflate(body, file: file)
        }
        return [UInt8](repeating: 0, count: 128) + Array("DICM".utf8)
            + metaGroup(sopInstanceUID: sopInstanceUID, syntax: transferSyntax) + body
    }

    private static func metaGroup(sopInstanceUID: String, syntax: DICOMTransferSyntax) -> [UInt8] {
        var meta = DICOMElementEncoder(explicitVR: true, bigEndian: false)
        meta.append(.fileMetaVersion, vr: "OB", value: [0x00, 0x01])
        meta.append(.mediaStorageSOPClassUID, vr: "UI", text: DICOMUID.digitalMammographyForPresentation)
        meta.append(.mediaStorageSOPInstanceUID, vr: "UI", text: sopInstanceUID)
        meta.append(.transferSyntaxUID, vr: "UI", text: syntax.uid)
        meta.append(.implementationClassUID, vr: "UI", text: DICOMUID.implementationClass)
        meta.append(.implementationVersionName, vr: "SH", text: DICOMUID.implementationVersionName)
        var group = DICOMElementEncoder(explicitVR: true, bigEndian: false)
        group.appendHeader(.fileMetaGroupLength, vr: "UL", length: 4)
        group.appendUInt32(UInt32(meta.bytes.count))
        return group.bytes + meta.bytes
    }

    /// The data set proper, elements in ascending tag order as PS3.5 7.1 requires.
    private static func dataSet(_ image: GrayImage, attributes: DICOMAttributes, sopInstanceUID: String,
                                syntax: DICOMTransferSyntax) -> [UInt8] {
        var e = DICOMElementEncoder(explicitVR: syntax.isExplicitVR, bigEndian: syntax.isBigEndian)
        e.append(.sopClassUID, vr: "UI", text: DICOMUID.digitalMammographyForPresentation)
        e.append(.sopInstanceUID, vr: "UI", text: sopInstanceUID)
        e.append(.modality, vr: "CS", text: "MG")
        if let text = attributes.seriesDescription { e.append(.seriesDescription, vr: "LO", text: text) }
        if let text = attributes.patientID { e.append(.patientID, vr: "LO", text: text) }
        if let values = attributes.imagerPixelSpacing { e.append(.imagerPixelSpacing, decimals: values) }
        if let text = attributes.viewPosition { e.append(.viewPosition, vr: "CS", text: text) }
        e.append(.studyInstanceUID, vr: "UI", text: DICOMUID.make())
        e.append(.seriesInstanceUID, vr: "UI", text: attributes.seriesInstanceUID ?? DICOMUID.make())
        if let text = attributes.laterality { e.append(.imageLaterality, vr: "CS", text: text) }
        e.append(.samplesPerPixel, unsignedShort: 1)
        e.append(.photometricInterpretation, vr: "CS", text: attributes.monochrome1 ? "MONOCHROME1" : "MONOCHROME2")
        e.append(.rows, unsignedShort: image.height)
        e.append(.columns, unsignedShort: image.width)
        if let values = attributes.pixelSpacing { e.append(.pixelSpacing, decimals: values) }
        e.append(.bitsAllocated, unsignedShort: image.bitDepth)
        e.append(.bitsStored, unsignedShort: image.bitDepth)
        e.append(.highBit, unsignedShort: image.bitDepth - 1)
        e.append(.pixelRepresentation, unsignedShort: 0)
        if let value = attributes.windowCenter { e.append(.windowCenter, decimal: value) }
        if let value = attributes.windowWidth { e.append(.windowWidth, decimal: value) }
        if let value = attributes.rescaleIntercept { e.append(.rescaleIntercept, decimal: value) }
        if let value = attributes.rescaleSlope { e.append(.rescaleSlope, decimal: value) }
        if let code = attributes.viewCodeValue { appendViewCodeSequence(code, to: &e) }

        let maxValue = UInt16(image.maxValue)
        let samples = attributes.monochrome1 ? image.pixels.map { maxValue - min($0, maxValue) } : image.pixels
        if syntax == .rleLossless {
            appendRLEPixelData(samples, image: image, to: &e)
        } else if image.bitDepth == 16 {
            e.appendHeader(.pixelData, vr: "OW", length: samples.count * 2)
            e.appendWords(samples)
        } else {
            e.append(.pixelData, vr: "OB", value: samples.map { UInt8(min($0, 255)) })
        }
        return e.bytes
    }

    /// ViewCodeSequence with one item, both of undefined length: code value, scheme, meaning.
    private static func appendViewCodeSequence(_ code: String, to e: inout DICOMElementEncoder) {
        e.appendHeader(.viewCodeSequence, vr: "SQ", length: nil)
        e.appendItemHeader(.item, length: Int(DICOMDataSet.undefinedLength))
        e.append(.codeValue, vr: "SH", text: code)
        e.append(.codingSchemeDesignator, vr: "SH", text: code.hasPrefix("R-") ? "SRT" : "SCT")
        e.append(.codeMeaning, vr: "LO", text: MammographyView.abbreviation(codeValue: code, meaning: nil) ?? "unknown")
        e.appendItemHeader(.itemDelimitation, length: 0)
        e.appendItemHeader(.sequenceDelimitation, length: 0)
    }

    /// Encapsulated pixel data (PS3.5 A.4): empty Basic Offset Table, one fragment, delimiter.
    private static func appendRLEPixelData(_ samples: [UInt16], image: GrayImage, to e: inout DICOMElementEncoder) {
        let planes = image.bitDepth == 16
            ? [samples.map { UInt8($0 >> 8) }, samples.map { UInt8($0 & 0xFF) }]
            : [samples.map { UInt8(min($0, 255)) }]
        let frame = DICOMRLE.encodeFrame(planes: planes, rowLength: image.width)
        e.appendHeader(.pixelData, vr: "OB", length: nil)
        e.appendItemHeader(.item, length: 0)
        e.appendItemHeader(.item, length: frame.count + frame.count % 2)
        e.appendRaw(frame.count % 2 == 0 ? frame : frame + [0])
        e.appendItemHeader(.sequenceDelimitation, length: 0)
    }
}
