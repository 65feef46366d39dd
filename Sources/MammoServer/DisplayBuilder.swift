import Foundation
import MammoData

/// Makes display copies, one at a time (a full mammogram's pixels are large), and caches them.
final class DisplayBuilder: @unchecked Sendable {
    private let cache: ViewerCache
    private let maxSide: Int
    private let lock = NSLock()

    init(cache: ViewerCache, maxSide: Int) { self.cache = cache; self.maxSide = maxSide }

    /// The cached copy, else one made from the file (DICOM: the full-range import with its VOI windows
    /// as presets; MONOCHROME1 inverted so dense tissue is bright) or from `image` when the caller has read it.
    func display(for entry: CatalogEntry, image: GrayImage? = nil) throws -> DisplayImage {
        if let meta = cache.display(entry.cacheKey) { return meta }
        lock.lock(); defer { lock.unlock() }
        if let meta = cache.display(entry.cacheKey) { return meta }
        let made: (DisplayImage, [UInt16])
        if let image {
            made = DisplayImage.make(from: image, filePresets: [], photometric: image.bitDepth == 8 ? "8-bit" : "16-bit", maxSide: maxSide)
        } else if entry.format == .dicom {
            let file = try DICOMFile(path: entry.path)
            made = DisplayImage.make(from: file.importedImage(), filePresets: WindowPreset.fromDICOM(file),
                                     photometric: file.photometricInterpretation, maxSide: maxSide)
        } else {
            let image = try ImageFile.readGray(entry.path)
            made = DisplayImage.make(from: image, filePresets: [], photometric: image.bitDepth == 8 ? "8-bit" : "16-bit", maxSide: maxSide)
        }
        try cache.saveDisplay(made.0, pixels: made.1, key: entry.cacheKey)
        return made.0
    }
}
