import Foundation
import MammoData

/// PNG images as `data:` URIs, so a report is one file that opens anywhere offline.
enum PNGEmbedding {
    /// `data:image/png;base64,…` of `image`, encoded in memory by libpng.
    static func dataURI(_ image: RGBImage) throws -> String {
        "data:image/png;base64," + Data(try PNG.encode(image)).base64EncodedString()
    }
}
