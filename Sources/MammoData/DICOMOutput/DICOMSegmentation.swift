import Foundation

// DICOMOutput owns the DICOM objects MammoSeg derives from a source image: a probability map as
// a Segmentation (this file), the source reference it copies and points to, and the small
// Explicit VR Little Endian writer (elements, codes, data sets, PS3.10 files) they are made with.

/// A probability map over a DICOM image's own grid as a single-frame Segmentation object
/// (PS3.3 A.51; Segmentation Storage, Explicit VR Little Endian): FRACTIONAL with
/// SegmentationFractionalType PROBABILITY, 8 bits, stored value round(p · 255), or BINARY at a
/// threshold, 1 bit per pixel packed. It copies the source's Patient and Study, references the
/// source instance (Derivation Image functional group, Common Instance Reference), takes its
/// laterality (ImageLaterality and the segment's anatomic region modifier), and has no Frame of
/// Reference (mammograms seldom have one). Attribute list and validators: notes/dicom-seg.md.
/// New UIDs under 2.25.
public struct DICOMSegmentation: Sendable {
    public enum Kind: Sendable, Equatable {
        case fractional
        /// p > threshold, as `predict --mask` cuts.
        case binary(threshold: Float)
    }

    public static let sopClassUID = "1.2.840.10008.5.1.4.1.1.66.4"
    /// The largest stored value of a FRACTIONAL segmentation, meaning probability 1.
    public static let maximumFractionalValue = 255

    /// The PS3.10 file.
    public let bytes: [UInt8]
    public let sopInstanceUID: String
    public let seriesInstanceUID: String

    /// `probability`: `source.rows × source.columns` values in [0, 1], row-major. `sequenceLength`
    /// is for tests of readers; files are written with defined lengths.
    public init(probability: [Float], source: DICOMSourceReference, kind: Kind = .fractional,
                description: DICOMSegmentDescription = DICOMSegmentDescription(),
                seriesInstanceUID: String? = nil, created: Date = Date()) throws {
        try self.init(probability: probability, source: source, kind: kind, description: description,
                      seriesInstanceUID: seriesInstanceUID, created: created, sequenceLength: .defined)
    }

    init(probability: [Float], source: DICOMSourceReference, kind: Kind, description: DICOMSegmentDescription,
         seriesInstanceUID: String?, created: Date, sequenceLength: DICOMDataSetEncoder.SequenceLength) throws {
        guard probability.count == source.rows * source.columns else {
            throw DataError(file: source.path, "the probability map has \(probability.count) values but the image is \(source.columns)x\(source.rows); give a map in the image's own grid")
        }
        if let bad = probability.firstIndex(where: { !$0.isFinite }) {
            throw DataError(file: source.path, "the probability map has a non-finite value at pixel \(bad); the prediction failed, rerun it")
        }
        sopInstanceUID = DICOMUID.make()
        self.seriesInstanceUID = seriesInstanceUID ?? DICOMUID.make()
        let elements = Self.dataSet(probability: probability, source: source, kind: kind, description: description,
                                    sopInstanceUID: sopInstanceUID, seriesInstanceUID: self.seriesInstanceUID, created: created)
        do {
            bytes = try DICOMDataSetEncoder(sequenceLength: sequenceLength)
                .part10File(sopClassUID: Self.sopClassUID, sopInstanceUID: sopInstanceUID, dataSet: elements)
        } catch let error as DICOMDataSetEncoder.EncodingError {
            throw DataError(file: source.path, "cannot be referenced by a DICOM Segmentation: \(error); fix the source's header or the segment description")
        }
    }

    /// Writes the file atomically (complete or not at all).
    public func write(to path: String) throws {
        try AtomicWrite.write(bytes, to: path, what: "DICOM Segmentation")
    }

    /// Stored values: round(p · 255) with p clamped to [0, 1]; or the BINARY bits, first pixel in
    /// the lowest bit of the first byte (PS3.5 8.1.1), padded to whole bytes.
    static func pixelData(_ probability: [Float], kind: Kind) -> [UInt8] {
        switch kind {
        case .fractional:
            let scale = Float(maximumFractionalValue)
            return probability.map { UInt8((min(max($0, 0), 1) * scale).rounded()) }
        case .binary(let threshold):
            var packed = [UInt8](repeating: 0, count: (probability.count + 7) / 8)
            for (i, p) in probability.enumerated() where p > threshold { packed[i >> 3] |= 1 << UInt8(i & 7) }
            return packed
        }
    }

    private static func dataSet(probability: [Float], source: DICOMSourceReference, kind: Kind,
                                description d: DICOMSegmentDescription, sopInstanceUID: String,
                                seriesInstanceUID: String, created: Date) -> [DICOMDataElement] {
        let (date, time) = dateAndTime(created)
        let fractional = kind == .fractional
        let bits = fractional ? 8 : 1
        let dimensionOrganizationUID = DICOMUID.make()
        let sourceInstance: [DICOMDataElement] = [
            .text(.referencedSOPClassUID, "UI", source.sopClassUID),
            .text(.referencedSOPInstanceUID, "UI", source.sopInstanceUID),
        ]
        var segment: [DICOMDataElement] = [
            .code(.segmentedPropertyCategoryCodeSequence, d.propertyCategory),
            .unsignedShort(.segmentNumber, 1),
            .text(.segmentLabel, "LO", d.segmentLabel),
            .text(.segmentAlgorithmType, "CS", "AUTOMATIC"),
            .text(.segmentAlgorithmName, "LO", d.algorithmName),
            .code(.segmentedPropertyTypeCodeSequence, d.propertyType),
        ]
        if let region = d.anatomicRegion {
            // The breast's side, where the Segment Description macro puts it (PS3.3 10.2, modifier of the region).
            let side = source.laterality.map { $0 == "L" ? DICOMCode.left : DICOMCode.right }
            segment.append(.sequence(.anatomicRegionSequence, [region.elements + (side.map {
                [.code(.anatomicRegionModifierSequence, $0)]
            } ?? [])]))
        }

        var elements: [DICOMDataElement] = source.copiedElements + [
            // SOP Common, General Series / Segmentation Series, equipment.
            .text(.imageType, "CS", "DERIVED", "PRIMARY"),
            .text(.instanceCreationDate, "DA", date),
            .text(.instanceCreationTime, "TM", time),
            .text(.sopClassUID, "UI", sopClassUID),
            .text(.sopInstanceUID, "UI", sopInstanceUID),
            .text(.seriesDate, "DA", date),
            .text(.seriesTime, "TM", time),
            .text(.contentDate, "DA", date),
            .text(.contentTime, "TM", time),
            .text(.modality, "CS", "SEG"),
            .text(.manufacturer, "LO", d.manufacturer),
            .text(.seriesDescription, "LO", d.seriesDescription),
            .text(.manufacturerModelName, "LO", d.manufacturerModelName),
            .text(.deviceSerialNumber, "LO", d.deviceSerialNumber),
            .text(.softwareVersions, "LO", d.softwareVersion),
            .text(.seriesInstanceUID, "UI", seriesInstanceUID),
            .text(.seriesNumber, "IS", String(d.seriesNumber)),
            .text(.instanceNumber, "IS", String(d.instanceNumber)),
            // Common Instance Reference: the source's series and instance.
            .sequence(.referencedSeriesSequence, [[
                .sequence(.referencedInstanceSequence, [sourceInstance]),
                .text(.seriesInstanceUID, "UI", source.seriesInstanceUID),
            ]]),
            // Segmentation Image, Image Pixel.
            .unsignedShort(.samplesPerPixel, 1),
            .text(.photometricInterpretation, "CS", "MONOCHROME2"),
            .text(.numberOfFrames, "IS", "1"),
            .unsignedShort(.rows, source.rows),
            .unsignedShort(.columns, source.columns),
            .unsignedShort(.bitsAllocated, bits),
            .unsignedShort(.bitsStored, bits),
            .unsignedShort(.highBit, bits - 1),
            .unsignedShort(.pixelRepresentation, 0),
            .text(.lossyImageCompression, "CS", "00"),
            .text(.segmentationType, "CS", fractional ? "FRACTIONAL" : "BINARY"),
            .sequence(.segmentSequence, [segment]),
            .text(.segmentsOverlap, "CS", "NO"),
            .text(.contentLabel, "CS", d.contentLabel),
            .text(.contentDescription, "LO", d.contentDescription),
            .empty(.contentCreatorName, "PN"),
            // Multi-frame Dimension: the frames are indexed by segment number.
            .sequence(.dimensionOrganizationSequence, [[.text(.dimensionOrganizationUID, "UI", dimensionOrganizationUID)]]),
            .sequence(.dimensionIndexSequence, [[
                .text(.dimensionOrganizationUID, "UI", dimensionOrganizationUID),
                .attributeTag(.dimensionIndexPointer, .referencedSegmentNumber),
                .attributeTag(.functionalGroupPointer, .segmentIdentificationSequence),
                .text(.dimensionDescriptionLabel, "LO", "ReferencedSegmentNumber"),
            ]]),
            // Multi-frame Functional Groups: shared (the segment), per frame (content, derivation).
            .sequence(.sharedFunctionalGroupsSequence, [[
                .sequence(.segmentIdentificationSequence, [[.unsignedShort(.referencedSegmentNumber, 1)]]),
            ]]),
            .sequence(.perFrameFunctionalGroupsSequence, [[
                .sequence(.derivationImageSequence, [[
                    .sequence(.sourceImageSequence, [sourceInstance + [
                        .text(.spatialLocationsPreserved, "CS", "YES"),
                        .code(.purposeOfReferenceCodeSequence, .sourceImageForProcessing),
                    ]]),
                    .code(.derivationCodeSequence, .segmentation),
                ]]),
                .sequence(.frameContentSequence, [[.unsignedLong(.dimensionIndexValues, 1)]]),
            ]]),
            DICOMDataElement(.pixelData, vr: "OB", bytes: pixelData(probability, kind: kind)),
        ]
        if fractional {
            elements += [.text(.segmentationFractionalType, "CS", "PROBABILITY"),
                         .unsignedShort(.maximumFractionalValue, maximumFractionalValue)]
        }
        // The image's laterality as the source states it (ImageLaterality, as mammograms do). With it
        // present, the series' Laterality (0020,0060) is not required, and dciodvfy refuses it on a SEG.
        if let side = source.laterality { elements.append(.text(.imageLaterality, "CS", side)) }
        return elements
    }

    /// DA and TM of `date` in local time, as DICOM dates and times are.
    private static func dateAndTime(_ date: Date) -> (String, String) {
        let parts = Calendar.current.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return (String(format: "%04d", parts.year ?? 1970) + two(parts.month) + two(parts.day),
                two(parts.hour) + two(parts.minute) + two(parts.second))
    }
}
