import Engine
import Foundation
import MammoData

/// The server's state folder: display copies, maps and uploads, named by an entry's cache key (model,
/// file, size and time), so a restart reuses them and a changed file or model never does.
///
///     STATE/display/KEY.json, KEY.u16     the display copy (little-endian UInt16) and what to draw it with
///     STATE/maps/KEY.json                 score and size of the map
///     STATE/maps/KEY.probability.u16      round(p · 65535) in the source grid (what predict's _probability.png holds)
///     STATE/maps/KEY.display.u8           round(p · 255) in the display grid (the overlay)
///     STATE/uploads/HASH.EXT              uploaded files, named by content
struct ViewerCache: Sendable {
    let root: String

    init(root: String) throws {
        self.root = root
        for folder in ["display", "maps", "uploads"] {
            try FileManager.default.createDirectory(atPath: root + "/" + folder, withIntermediateDirectories: true)
        }
    }

    struct MapSummary: Codable, Sendable {
        var score: Double
        var width: Int
        var height: Int
    }

    func displayMetaPath(_ key: String) -> String { root + "/display/\(key).json" }
    func displayPixelsPath(_ key: String) -> String { root + "/display/\(key).u16" }
    func mapSummaryPath(_ key: String) -> String { root + "/maps/\(key).json" }
    func probabilityPath(_ key: String) -> String { root + "/maps/\(key).probability.u16" }
    func overlayPath(_ key: String) -> String { root + "/maps/\(key).display.u8" }
    var uploadsFolder: String { root + "/uploads" }

    func display(_ key: String) -> DisplayImage? {
        guard let data = FileManager.default.contents(atPath: displayMetaPath(key)),
              FileManager.default.fileExists(atPath: displayPixelsPath(key)) else { return nil }
        return try? JSONDecoder().decode(DisplayImage.self, from: data)
    }

    func mapSummary(_ key: String) -> MapSummary? {
        guard let data = FileManager.default.contents(atPath: mapSummaryPath(key)),
              FileManager.default.fileExists(atPath: probabilityPath(key)),
              FileManager.default.fileExists(atPath: overlayPath(key)) else { return nil }
        return try? JSONDecoder().decode(MapSummary.self, from: data)
    }

    func saveDisplay(_ meta: DisplayImage, pixels: [UInt16], key: String) throws {
        try Self.write(pixels, to: displayPixelsPath(key))
        try writeFileAtomically(try JSONEncoder().encode(meta), to: displayMetaPath(key))
    }

    /// Pixels first, summary last: a summary on disk means the maps beside it are whole.
    func saveMaps(probability: [Float], width: Int, height: Int, overlay: [UInt8], key: String) throws -> MapSummary {
        var score: Float = 0
        for p in probability where p > score { score = p }
        let quantized = probability.map { p -> UInt16 in UInt16((p.isNaN ? 0 : min(max(p, 0), 1) * 65535).rounded()) }
        try Self.write(quantized, to: probabilityPath(key))
        try overlay.withUnsafeBytes { try writeFileAtomically($0, to: overlayPath(key)) }
        let summary = MapSummary(score: Double(score), width: width, height: height)
        try writeFileAtomically(try JSONEncoder().encode(summary), to: mapSummaryPath(key))
        return summary
    }

    /// The full-resolution map as predict writes it (`_probability.png`, 16-bit gray).
    func probabilityImage(_ key: String, summary: MapSummary) throws -> GrayImage {
        let pixels = try Self.readUInt16(probabilityPath(key), count: summary.width * summary.height)
        return GrayImage(width: summary.width, height: summary.height, bitDepth: 16, pixels: pixels)
    }

    static func write(_ values: [UInt16], to path: String) throws {
        let littleEndian = values.map { $0.littleEndian }
        try littleEndian.withUnsafeBytes { try writeFileAtomically($0, to: path) }
    }

    static func readUInt16(_ path: String, count: Int) throws -> [UInt16] {
        guard let data = FileManager.default.contents(atPath: path), data.count == count * 2 else {
            throw ViewerError.cacheDamaged
        }
        return data.withUnsafeBytes { raw in (0..<count).map { UInt16(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 2, as: UInt16.self)) } }
    }
}
