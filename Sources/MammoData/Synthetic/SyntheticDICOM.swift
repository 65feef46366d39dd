/// The DICOM copy of a phantom (`mammoseg synth --format dicom`), written as a mammography
/// unit would store it, so the readers and importers are exercised end to end:
/// right breasts mirrored (chest wall at the right edge), laterality and view in the header,
/// transfer syntax cycling through every one the reader supports, every third file MONOCHROME1.
/// Importing `ROOT/dicom` with `mammoseg import folder` must give back the PNG images.
enum SyntheticDICOM {
    static func write(_ phantom: SyntheticMammogram, entry: DatasetEntry, index: Int, to path: String) throws {
        let syntaxes = DICOMTransferSyntax.allCases
        let attributes = DICOMAttributes(
            patientID: entry.patientID, laterality: phantom.laterality, viewPosition: phantom.view,
            seriesDescription: "synthetic full mammogram", monochrome1: index % 3 == 2)
        let image = phantom.laterality == "R" ? phantom.image.flippedHorizontally() : phantom.image
        try DICOMWriter.write(image, to: path, attributes: attributes, transferSyntax: syntaxes[index % syntaxes.count])
    }
}
