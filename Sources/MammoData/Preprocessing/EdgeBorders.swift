/// The bright borders along a film's edges: runs of rows from the top and bottom edges, and of
/// columns from one side edge, that are ≥ 90 % bright. The breast never spans the film's whole
/// width, a border does. Columns count only on the side holding less of the bright area (once
/// the border rows are left out): the chest wall may span a whole column.
///
/// Found twice by `BreastMask`: on its working copy (so the border does not join the breast's
/// component) and at the source's own resolution, where the run ends exactly at the last
/// border row, which the working grid, several source pixels per pixel, cannot say.
struct EdgeBorders: Equatable {
    var top = 0, bottom = 0, left = 0, right = 0

    static let brightFraction = 0.9

    init(top: Int, bottom: Int, left: Int, right: Int) {
        self.top = top; self.bottom = bottom; self.left = left; self.right = right
    }

    /// The borders of a bright/dark mask.
    init(_ mask: BinaryMask) {
        self.init(width: mask.width, height: mask.height) { mask.bits[$0] }
    }

    /// The borders of `image`'s pixels above `threshold`.
    init(_ image: GrayImage, above threshold: UInt16) {
        self.init(width: image.width, height: image.height) { image.pixels[$0] > threshold }
    }

    /// One pass for the counts per row and column; a second over the border rows only.
    @inline(__always)
    private init(width: Int, height: Int, isBright: (Int) -> Bool) {
        var rowCounts = [Int](repeating: 0, count: height), columnCounts = [Int](repeating: 0, count: width)
        for y in 0..<height {
            var count = 0
            for x in 0..<width where isBright(y * width + x) { count += 1; columnCounts[x] += 1 }
            rowCounts[y] = count
        }
        let fullRow = Self.brightFraction * Double(width), fullColumn = Self.brightFraction * Double(height)
        let rowLimit = height / 4, columnLimit = width / 4
        while top < rowLimit, Double(rowCounts[top]) >= fullRow { top += 1 }
        while bottom < rowLimit, Double(rowCounts[height - 1 - bottom]) >= fullRow { bottom += 1 }
        // Columns are judged without the border rows, as if those were already cleared.
        for y in Array(0..<top) + Array((height - bottom)..<height) {
            for x in 0..<width where isBright(y * width + x) { columnCounts[x] -= 1 }
        }
        var leftArea = 0, rightArea = 0
        for x in 0..<width / 2 { leftArea += columnCounts[x] }
        for x in (width - width / 2)..<width { rightArea += columnCounts[x] }
        if leftArea < rightArea {
            while left < columnLimit, Double(columnCounts[left]) >= fullColumn { left += 1 }
        } else if rightArea < leftArea {
            while right < columnLimit, Double(columnCounts[width - 1 - right]) >= fullColumn { right += 1 }
        }
    }

    var isEmpty: Bool { top == 0 && bottom == 0 && left == 0 && right == 0 }

    /// Unsets the border rows and columns in `mask` (of the size the borders were found at).
    func clear(_ mask: inout BinaryMask) {
        let width = mask.width, height = mask.height
        for y in Array(0..<top) + Array((height - bottom)..<height) {
            for x in 0..<width { mask.bits[y * width + x] = false }
        }
        guard left > 0 || right > 0 else { return }
        for y in 0..<height {
            for x in 0..<left { mask.bits[y * width + x] = false }
            for x in (width - right)..<width { mask.bits[y * width + x] = false }
        }
    }
}
