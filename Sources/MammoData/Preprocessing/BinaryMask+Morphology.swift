/// Square-element morphology and connected components on `BinaryMask`, in time linear in the
/// pixel count whatever the radius (running sums along rows, then columns).
extension BinaryMask {
    /// Erosion by a (2r+1)² square. Pixels outside the image count as `outside`: background for
    /// an opening (so a strip along an edge is removed like any thin strip), foreground for the
    /// erosion of a closing (so a region touching an edge is not eaten from it).
    public func eroded(radius: Int, outside: Bool = false) -> BinaryMask {
        guard radius > 0 else { return self }
        let window = 2 * radius + 1
        // A pixel survives when its whole window is set: count set pixels per window.
        let rows = windowCounts(bits.map { $0 ? 1 : 0 }, radius: radius, outside: outside ? 1 : 0, alongRows: true)
        let full = rows.map { $0 == window ? 1 : 0 }
        let columns = windowCounts(full, radius: radius, outside: outside ? 1 : 0, alongRows: false)
        return BinaryMask(width: width, height: height, bits: columns.map { $0 == window })
    }

    /// Dilation by a (2r+1)² square (pixels outside the image are background).
    public func dilated(radius: Int) -> BinaryMask {
        guard radius > 0 else { return self }
        let rows = windowCounts(bits.map { $0 ? 1 : 0 }, radius: radius, outside: 0, alongRows: true)
        let any = rows.map { $0 > 0 ? 1 : 0 }
        let columns = windowCounts(any, radius: radius, outside: 0, alongRows: false)
        return BinaryMask(width: width, height: height, bits: columns.map { $0 > 0 })
    }

    /// Removes everything narrower than 2r+1 pixels (thin bridges, strips, specks).
    public func opened(radius: Int) -> BinaryMask { eroded(radius: radius).dilated(radius: radius) }

    /// Fills gaps and notches narrower than 2r+1 pixels, without shrinking at the image edges.
    public func closed(radius: Int) -> BinaryMask { dilated(radius: radius).eroded(radius: radius, outside: true) }

    /// Sets every background pixel not connected (4-neighbourhood) to the image border.
    public func filledHoles() -> BinaryMask {
        var reached = [Bool](repeating: false, count: bits.count)
        var stack: [Int] = []
        func seed(_ i: Int) { if !bits[i] && !reached[i] { reached[i] = true; stack.append(i) } }
        for x in 0..<width { seed(x); seed((height - 1) * width + x) }
        for y in 0..<height { seed(y * width); seed(y * width + width - 1) }
        while let i = stack.popLast() {
            let x = i % width, y = i / width
            if x > 0 { seed(i - 1) }
            if x + 1 < width { seed(i + 1) }
            if y > 0 { seed(i - width) }
            if y + 1 < height { seed(i + width) }
        }
        return BinaryMask(width: width, height: height, bits: reached.map { !$0 })
    }

    /// Connected components (8-neighbourhood): a label per pixel (0 = background, 1… = component)
    /// and each component's pixel count (index 0 unused).
    public func components() -> (labels: [Int32], sizes: [Int]) {
        var labels = [Int32](repeating: 0, count: bits.count)
        var sizes = [0]
        var stack: [Int] = []
        for start in 0..<bits.count where bits[start] && labels[start] == 0 {
            let label = Int32(sizes.count)
            var size = 0
            labels[start] = label; stack.append(start)
            while let i = stack.popLast() {
                size += 1
                let x = i % width, y = i / width
                for dy in -1...1 {
                    let yy = y + dy
                    guard yy >= 0, yy < height else { continue }
                    for dx in -1...1 {
                        let xx = x + dx
                        guard xx >= 0, xx < width else { continue }
                        let j = yy * width + xx
                        if bits[j] && labels[j] == 0 { labels[j] = label; stack.append(j) }
                    }
                }
            }
            sizes.append(size)
        }
        return (labels, sizes)
    }

    /// Counts of `values` in the 2r+1 window centred on each pixel along rows or columns.
    private func windowCounts(_ values: [Int], radius: Int, outside: Int, alongRows: Bool) -> [Int] {
        let lineCount = alongRows ? height : width, lineLength = alongRows ? width : height
        let stride = alongRows ? 1 : width
        var out = [Int](repeating: 0, count: values.count)
        var prefix = [Int](repeating: 0, count: lineLength + 1)
        for line in 0..<lineCount {
            let base = alongRows ? line * width : line
            for i in 0..<lineLength { prefix[i + 1] = prefix[i] + values[base + i * stride] }
            for i in 0..<lineLength {
                let lo = i - radius, hi = i + radius
                let inside = prefix[min(hi, lineLength - 1) + 1] - prefix[max(lo, 0)]
                let outsideCount = max(0, -lo) + max(0, hi - (lineLength - 1))
                out[base + i * stride] = inside + outside * outsideCount
            }
        }
        return out
    }
}
