import Foundation
import MammoData

/// A fresh folder under the system temp directory, removed when the test object goes away.
final class TemporaryFolder {
    let path: String

    init(_ name: String = #function) {
        let safe = name.filter { $0.isLetter || $0.isNumber }
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("mammoseg-cli-\(safe)-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func join(_ components: String...) -> String {
        components.reduce(path) { ($0 as NSString).appendingPathComponent($1) }
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

/// A tiny synthetic prepared dataset (64×64 phantoms, split by patient into train/val/test).
enum TinyDataset {
    static func write(to root: String, count: Int = 24, size: Int = 64, seed: UInt64 = 5) throws {
        var options = SyntheticDataset.Options()
        options.count = count
        options.size = size
        options.seed = seed
        options.valFraction = 0.2
        try SyntheticDataset.write(to: root, options: options, overwrite: true)
    }
}

/// The smallest training run of the study's final network that still exercises every step.
func tinyTrainArguments(data: String, out: String, epochs: Int = 3) -> [String] {
    ["train", "--data", data, "--out", out, "--arch", "dilated-resize", "--width", "0.0625", "--size", "64",
     "--batch", "2", "--epochs", String(epochs), "--seed", "11", "--threads", "2"]
}
