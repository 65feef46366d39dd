// TEMPORARY until the files branch (DICOMWriter) is merged.
enum SyntheticDICOM {
    static func write(_ phantom: SyntheticMammogram, entry: DatasetEntry, seed: UInt64, to path: String) throws {
        throw DataError(file: path, "DICOM output needs DICOMWriter")
    }
}
