import Engine
import Foundation
/// Medians and interquartile ranges of patch statistics pooled over many images.
public struct RealismSummary: Sendable {
    public var images: Int
    public var patches: Int
    public var cv: Quartiles
    public var beta: Quartiles

    public struct Quartiles: Sendable {
        public var lower: Double, median: Double, upper: Double
        /// numpy's default ("linear") percentiles.
        init(_ values: [Double]) {
            let sorted = values.sorted()
            func percentile(_ q: Double) -> Double {
                guard !sorted.isEmpty else { return .nan }
                let position = q * Double(sorted.count - 1)
                let low = Int(position.rounded(.down)), high = min(sorted.count - 1, low + 1)
                return sorted[low] + (sorted[high] - sorted[low]) * (position - Double(low))
            }
            lower = percentile(0.25); median = percentile(0.5); upper = percentile(0.75)
        }
    }

    public init(images: Int, patches: [TextureRealism.Patch]) {
        self.images = images
        self.patches = patches.count
        cv = Quartiles(patches.map(\.cv))
        beta = Quartiles(patches.map(\.beta))
    }

    /// Real CBIS-DDSM full-field mammograms, same method (notes/phantoms.md).
    public static let realCV = (lower: 0.123, median: 0.160, upper: 0.200)
    public static let realBeta = (lower: 2.81, median: 3.12, upper: 3.37)

    /// Whether both medians lie inside the real interquartile ranges.
    public var withinRealRange: Bool {
        (Self.realCV.lower...Self.realCV.upper).contains(cv.median)
            && (Self.realBeta.lower...Self.realBeta.upper).contains(beta.median)
    }

    public var text: String {
        func f(_ q: Quartiles, _ digits: Int) -> String {
            String(format: "median %.\(digits)f (IQR %.\(digits)f–%.\(digits)f)", q.median, q.lower, q.upper)
        }
        return """
            realism (\(images) images, \(patches) patches of 64² at 512 px):
              tissue CV: \(f(cv, 3))   real CBIS-DDSM: median 0.160 (IQR 0.123–0.200)
              β:         \(f(beta, 2))   real CBIS-DDSM: median 3.12 (IQR 2.81–3.37)
              both medians inside the real IQRs: \(withinRealRange ? "yes" : "no")
            """
    }
}
