/// 8-connected components of a binary map, found by an iterative flood fill with an
/// explicit stack (no recursion, so a large lesion cannot overflow the call stack).
public struct ConnectedComponents: Sendable {
    public let width: Int
    public let height: Int
    /// Row-major `[height, width]`: 0 = background, 1…count = component number.
    public let labels: [Int32]
    /// Pixels per component; `sizes[k - 1]` belongs to label k.
    public let sizes: [Int]

    public var count: Int { sizes.count }

    /// Labels the `true` pixels of `mask` (`width · height` values, row-major).
    public init(mask: [Bool], width: Int, height: Int) {
        precondition(mask.count == width * height, "ConnectedComponents: mask size")
        self.width = width; self.height = height
        var labels = [Int32](repeating: 0, count: mask.count)
        var sizes: [Int] = []
        var stack: [Int] = []
        for seed in mask.indices where mask[seed] && labels[seed] == 0 {
            let label = Int32(sizes.count + 1)
            var size = 0
            labels[seed] = label
            stack.append(seed)
            while let pixel = stack.popLast() {
                size += 1
                let y = pixel / width, x = pixel - y * width
                for ny in max(0, y - 1)...min(height - 1, y + 1) {
                    for nx in max(0, x - 1)...min(width - 1, x + 1) {
                        let neighbour = ny * width + nx
                        if mask[neighbour] && labels[neighbour] == 0 {
                            labels[neighbour] = label
                            stack.append(neighbour)
                        }
                    }
                }
            }
            sizes.append(size)
        }
        self.labels = labels
        self.sizes = sizes
    }

    /// The largest value of `map` inside each component (`result[k - 1]` for label k).
    public func maxima(of map: [Float]) -> [Float] {
        var maxima = [Float](repeating: -.infinity, count: count)
        for i in labels.indices where labels[i] != 0 {
            let k = Int(labels[i]) - 1
            maxima[k] = max(maxima[k], map[i])
        }
        return maxima
    }
}
