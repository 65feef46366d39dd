import Foundation

/// The DICOM copy of a phantom (`mammoseg synth --format dicom`), written as a mammography
/// unit would store it, so the readers and importers are exercised end to end:
/// right breasts mirrored (chest wall at the right edge), laterality and view in the header,
/// transfer syntax cycling through every one the reader supports, every third file MONOCHROME1.
/// The mask goes next to it, mirrored the same way, as `ROOT/dicom/masks/ID.png`, so that
/// `mammoseg import folder --images ROOT/dicom/images --masks ROOT/dicom/masks` gives back
/// the dataset's images and masks exactly.
enum SyntheticDICOM {
    static func write(_ phantom: SyntheticMammogram, entry: DatasetEntry, index: Int, folder: String) throws {
        let syntaxes = DICOMTransferSyntax.allCases
        let attributes = DICOMAttributes(
            patientID: entry.patientID, laterality: phantom.laterality, viewPosition: phantom.view,
            seriesDescription: "synthetic full mammogram", monochrome1: index % 3 == 2)
        let mirrored = phantom.laterality == "R"
        let image = mirrored ? phantom.image.flippedHorizontally() : phantom.image
        let mask = mirrored ? phantom.mask.flippedHorizontally() : phantom.mask
        try DICOMWriter.write(image, to: (folder as NSString).appendingPathComponent("images/\(entry.id).dcm"),
                              attributes: attributes, transferSyntax: syntaxes[index % syntaxes.count])
        try PNG.write(mask, to: (folder as NSString).appendingPathComponent("masks/\(entry.id).png"))
    }
}
