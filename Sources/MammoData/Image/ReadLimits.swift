import Foundation

/// How much memory reading one file may claim, whatever its header says: the most pixels an
/// image may have and the most bytes a compressed stream (deflated DICOM) may inflate to.
///
/// The defaults fit every mammogram (a 4096×5625 full-field image is 2^24.5 pixels) with
/// room to spare, and stop a 100-byte file that claims 900000×900000 pixels or a deflate bomb
/// before anything is allocated. The CLI's `--max-pixels` / `--max-decompressed-bytes` set
/// `ReadLimits.current` for the whole process; library callers may pass limits explicitly.
public struct ReadLimits: Sendable, Equatable {
    /// The default pixel limit, 2^28 (268 million; 16 times a large mammogram).
    public static let defaultMaxPixels = 1 << 28
    /// The default limit on inflated bytes, 2 GiB.
    public static let defaultMaxDecompressedBytes = 1 << 31

    /// Largest width × height an image may have.
    public var maxPixels: Int
    /// Largest number of bytes a compressed stream may inflate to.
    public var maxDecompressedBytes: Int

    public init(maxPixels: Int = ReadLimits.defaultMaxPixels,
                maxDecompressedBytes: Int = ReadLimits.defaultMaxDecompressedBytes) {
        self.maxPixels = maxPixels
        self.maxDecompressedBytes = maxDecompressedBytes
    }

    /// Throws unless a `width`×`height` image is non-empty and within `maxPixels`. The product
    /// is overflow-checked, so any two header numbers can be passed as they are.
    public func checkPixels(width: Int, height: Int, file: String) throws {
        guard width > 0, height > 0 else {
            throw DataError(file: file, "image size \(width)x\(height) is empty; the header is damaged")
        }
        let (pixels, overflow) = width.multipliedReportingOverflow(by: height)
        guard !overflow, pixels <= maxPixels else {
            throw DataError(file: file, "image size \(width)x\(height) exceeds the limit of \(maxPixels) pixels; "
                                        + "if the image is genuine, raise it with --max-pixels")
        }
    }

    /// The error for a compressed stream that inflates past `maxDecompressedBytes`.
    func decompressedTooLarge(file: String) -> DataError {
        DataError(file: file, "the compressed data inflates to more than \(maxDecompressedBytes) bytes; "
                              + "if the file is genuine, raise the limit with --max-decompressed-bytes")
    }

    // MARK: The process-wide setting

    private static let lock = NSLock()
    nonisolated(unsafe) private static var processWide = ReadLimits()

    /// The limits readers use when none are passed: the defaults, unless a command set them.
    public static var current: ReadLimits {
        get { lock.lock(); defer { lock.unlock() }; return processWide }
        set { lock.lock(); defer { lock.unlock() }; processWide = newValue }
    }
}
