import Foundation
import MammoData
import XCTest

/// A temporary folder, removed afterwards.
final class TemporaryFolder {
    let path: String
    init(_ name: String) {
        path = NSTemporaryDirectory() + "mammoseg-viewer-\(name.filter { $0.isLetter || $0.isNumber })-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    func join(_ name: String) -> String { path + "/" + name }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// Inputs for the viewer tests: a small, fast checkpoint and mammogram-like images.
enum ViewerFixtures {
    /// The tiny dilated-resize network MammographyTests keeps (PyTorch-made, width 0.0625, size 64).
    static func checkpoint() throws -> String {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("MammographyTests/Fixtures/models/dilated-resize.safetensors").path
        guard FileManager.default.fileExists(atPath: path) else {
            throw XCTSkip("fixture \(path) missing; run scripts/fixtures/make_model_fixtures.py")
        }
        return path
    }

    /// A breast-like image: a half ellipse against the chest wall (`chestWallOnRight` says which edge),
    /// tissue texture, a dense blob, background 0. 16-bit, dense bright.
    static func breast(width: Int, height: Int, chestWallOnRight: Bool, seed: Int = 0) -> GrayImage {
        var pixels = [UInt16](repeating: 0, count: width * height)
        let cy = Double(height) / 2, ry = Double(height) * 0.45, rx = Double(width) * 0.8
        let blobX = 0.45 + 0.1 * Double(seed % 3), blobY = 0.4 + 0.07 * Double(seed % 4)
        for y in 0..<height {
            let dy = (Double(y) - cy) / ry
            for x in 0..<width {
                let fromWall = Double(chestWallOnRight ? width - 1 - x : x)
                let dx = fromWall / rx
                let r = dx * dx + dy * dy
                guard r < 1 else { continue }
                let u = fromWall / Double(width), v = Double(y) / Double(height)
                let texture = 0.08 * sin(u * 61 + v * 23 + Double(seed)) * cos(v * 47 - u * 11)
                let bx = (u - blobX) / 0.05, by = (v - blobY) / 0.05
                let blob = 0.25 * exp(-(bx * bx + by * by))
                let value = 0.35 + 0.3 * (1 - r) + texture + blob
                pixels[y * width + x] = UInt16(max(0, min(1, value)) * 65535)
            }
        }
        return GrayImage(width: width, height: height, bitDepth: 16, pixels: pixels)
    }

    /// Writes a four-view exam (`R_CC.png`, `L_CC.png`, `R_MLO.png`, `L_MLO.png`) into `folder`,
    /// right breasts stored with the chest wall on the left as many archives do (the viewer must mirror them).
    static func writeFourViewPNGExam(folder: String, width: Int = 300, height: Int = 400) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (index, name) in ["R_CC", "L_CC", "R_MLO", "L_MLO"].enumerated() {
            try PNG.write(breast(width: width, height: height, chestWallOnRight: false, seed: index), to: folder + "/\(name).png")
        }
    }

    /// A four-view DICOM exam of one patient, MONOCHROME1 with a VOI window, laterality and view in the header.
    static func writeFourViewDICOMExam(folder: String, patient: String, width: Int = 240, height: Int = 320) throws {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (index, (laterality, view)) in [("R", "CC"), ("L", "CC"), ("R", "MLO"), ("L", "MLO")].enumerated() {
            let image = breast(width: width, height: height, chestWallOnRight: laterality == "R", seed: index + 5)
            let attributes = DICOMAttributes(patientID: patient, laterality: laterality, viewPosition: view,
                                             windowCenter: 30000, windowWidth: 40000, monochrome1: true)
            try DICOMWriter.write(image, to: folder + "/\(patient)-\(laterality)\(view).dcm", attributes: attributes)
        }
    }
}
