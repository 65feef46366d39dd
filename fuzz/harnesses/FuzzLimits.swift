import MammoData

/// Limits small enough that libFuzzer's default 2 GB RSS limit is never the finding: a file
/// that honours them must decode in a few megabytes.
enum FuzzLimits {
    static let small = ReadLimits(maxPixels: 1 << 22, maxDecompressedBytes: 1 << 26)
}
