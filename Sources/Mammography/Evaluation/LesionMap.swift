/// The lesions of a mask as the FROC counts them: 8-connected components, where
/// components whose nearest pixels are at most `clusterDistance` apart (Euclidean) are one
/// lesion — the specks of a calcification cluster are one finding, not twenty.
public struct LesionMap: Sendable {
    public let width: Int
    public let height: Int
    /// Row-major: 0 = no lesion, 1…count = lesion number.
    public let labels: [Int32]
    public let count: Int

    public init(mask: [UInt8], width: Int, height: Int, clusterDistance: Int) {
        self.width = width; self.height = height
        let components = ConnectedComponents(mask: mask.map { $0 != 0 }, width: width, height: height)
        var parent = Array(0...components.count)
        func root(_ k: Int) -> Int {
            var k = k
            while parent[k] != k { parent[k] = parent[parent[k]]; k = parent[k] }
            return k
        }
        let d = clusterDistance, labels = components.labels
        if d > 0 && components.count > 1 {
            // The nearest pixels of two disjoint components lie on their boundaries.
            for y in 0..<height {
                for x in 0..<width {
                    let a = Int(labels[y * width + x])
                    guard a != 0, Self.isBoundary(labels, x: x, y: y, width: width, height: height) else { continue }
                    for yy in max(0, y - d)...min(height - 1, y + d) {
                        let dy = yy - y
                        for xx in max(0, x - d)...min(width - 1, x + d) {
                            let b = Int(labels[yy * width + xx])
                            guard b != 0, b != a, (xx - x) * (xx - x) + dy * dy <= d * d else { continue }
                            let ra = root(a), rb = root(b)
                            if ra != rb { parent[max(ra, rb)] = min(ra, rb) }
                        }
                    }
                }
            }
        }
        // Renumber the cluster roots 1…count in order of first appearance.
        var number = [Int32](repeating: 0, count: components.count + 1)
        var count: Int32 = 0
        for k in 1..<(components.count + 1) where root(k) == k { count += 1; number[k] = count }
        self.labels = labels.map { $0 == 0 ? 0 : number[root(Int($0))] }
        self.count = Int(count)
    }

    private static func isBoundary(_ labels: [Int32], x: Int, y: Int, width: Int, height: Int) -> Bool {
        for yy in (y - 1)...(y + 1) {
            for xx in (x - 1)...(x + 1) {
                if yy < 0 || yy >= height || xx < 0 || xx >= width || labels[yy * width + xx] == 0 { return true }
            }
        }
        return false
    }

    /// The lesions within `tolerance` pixels (Euclidean) of (x, y), nearest first —
    /// i.e. the lesions whose mask dilated by a disc of radius `tolerance` contains the point.
    public func lesions(near x: Int, _ y: Int, tolerance: Int) -> [Int] {
        var nearest: [Int: Int] = [:]
        for yy in max(0, y - tolerance)...min(height - 1, y + tolerance) {
            for xx in max(0, x - tolerance)...min(width - 1, x + tolerance) {
                let lesion = Int(labels[yy * width + xx])
                let d2 = (xx - x) * (xx - x) + (yy - y) * (yy - y)
                guard lesion != 0, d2 <= tolerance * tolerance else { continue }
                nearest[lesion] = min(nearest[lesion] ?? .max, d2)
            }
        }
        return nearest.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map(\.key)
    }
}
