/// Grey-level dilation: each pixel becomes the maximum of the (2r + 1)² square around it
/// (clipped at the border). Separable — a row pass then a column pass — so it costs
/// 2·(2r + 1) comparisons per pixel instead of (2r + 1)².
public enum MaximumFilter {
    public static func apply(_ map: [Float], width: Int, height: Int, radius: Int) -> [Float] {
        guard radius > 0 else { return map }
        let rows = pass(map, radius: radius, length: width, lines: height, step: 1, lineStep: width)
        return pass(rows, radius: radius, length: height, lines: width, step: width, lineStep: 1)
    }

    private static func pass(_ input: [Float], radius: Int, length: Int, lines: Int, step: Int, lineStep: Int) -> [Float] {
        var output = [Float](repeating: 0, count: input.count)
        input.withUnsafeBufferPointer { src in
            output.withUnsafeMutableBufferPointer { dst in
                for line in 0..<lines {
                    let base = line * lineStep
                    for i in 0..<length {
                        var best = -Float.infinity
                        for j in max(0, i - radius)...min(length - 1, i + radius) { best = max(best, src[base + j * step]) }
                        dst[base + i * step] = best
                    }
                }
            }
        }
        return output
    }
}
