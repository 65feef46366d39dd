import Engine
import Foundation
import XCTest
@testable import MammoData

/// The realism metric against an independent numpy implementation (scripts/realism_metrics.py)
/// patch by patch, on phantoms at 512 px and on one 717 px image (a non-integer box filter).
final class TextureRealismTests: XCTestCase {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    struct PythonPatch: Decodable { var file: String; var x: Int; var y: Int; var cv: Double; var beta: Double }

    func testPatchStatisticsMatchNumpy() throws {
        let folder = TemporaryFolder()
        let generator = SyntheticMammogramGenerator(size: 512, seed: 2)
        var images: [String: GrayImage] = [:]
        for index in 0..<2 { images["phantom\(index).png"] = generator.make(index: index).image }
        images["upscaled.png"] = Self.nearestResize(images["phantom0.png"]!, to: 717)
        for (name, image) in images { try PNG.write(image, to: folder.join(name)) }
        let json = folder.join("patches.json")
        let result = try Self.python(["scripts/realism_metrics.py"] + images.keys.sorted().map { folder.join($0) } + ["--json", json])
        XCTAssertEqual(result.status, 0, result.output)
        let expected = try JSONDecoder().decode([PythonPatch].self, from: Data(contentsOf: URL(fileURLWithPath: json)))
        for (name, image) in images.sorted(by: { $0.key < $1.key }) {
            let mine = TextureRealism.patches(image)
            let theirs = expected.filter { $0.file == name }
            XCTAssertGreaterThan(mine.count, 20, "\(name): a breast at 512 px holds many patches")
            XCTAssertEqual(mine.map { [$0.x, $0.y] }, theirs.map { [$0.x, $0.y] }, "\(name): the same patches")
            for (a, b) in zip(mine, theirs) {
                XCTAssertEqual(a.cv, b.cv, accuracy: 1e-9 * max(1, abs(b.cv)), "\(name) (\(a.x), \(a.y)) CV")
                XCTAssertEqual(a.beta, b.beta, accuracy: 1e-6, "\(name) (\(a.x), \(a.y)) beta")
            }
        }
    }

    /// A field with a known spectrum gives back its exponent; a flat patch has no variation.
    func testKnownSpectrumAndFlatImage() {
        var generator = SeededGenerator(seed: 4)
        let (field, _) = PowerLawNoise.fields(side: 512, beta: 3, generator: &generator)
        let image = GrayImage(width: 512, height: 512, bitDepth: 16,
                              pixels: field.map { UInt16(max(0, min(65535, 30000 + 2000 * $0))) })
        let summary = RealismSummary(images: 1, patches: TextureRealism.patches(image))
        XCTAssertEqual(summary.patches, 225)
        XCTAssertEqual(summary.beta.median, 3, accuracy: 0.25)
        let flat = GrayImage(width: 512, height: 512, bitDepth: 16, pixels: [UInt16](repeating: 1000, count: 512 * 512))
        XCTAssertEqual(TextureRealism.patches(flat).map(\.cv).max(), 0)
    }

    static func nearestResize(_ image: GrayImage, to side: Int) -> GrayImage {
        var out = GrayImage(width: side, height: side, bitDepth: image.bitDepth)
        for y in 0..<side { for x in 0..<side {
            out.pixels[y * side + x] = image.pixels[(y * image.height / side) * image.width + x * image.width / side]
        } }
        return out
    }

    static func python(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        process.currentDirectoryURL = repository
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
