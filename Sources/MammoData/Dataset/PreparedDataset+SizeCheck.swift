import Foundation

extension PreparedDataset {
    /// Checks that every entry's image and mask exist, are PNGs and have the same size, from
    /// their headers only (24 bytes each), so a whole dataset is checked in moments.
    /// Throws a `DataError` naming the first bad file.
    public func checkImageAndMaskSizes(_ entries: [DatasetEntry]) throws {
        for entry in entries {
            let image = try PNGHeader.size(imagePath(entry))
            let mask = try PNGHeader.size(maskPath(entry))
            guard image == mask else {
                throw DataError(file: maskPath(entry), "mask is \(mask.width)x\(mask.height) but its image \(imagePath(entry)) is \(image.width)x\(image.height); re-import the dataset")
            }
        }
    }
}
