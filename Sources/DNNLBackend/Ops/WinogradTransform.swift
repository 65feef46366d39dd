/// The transforms of Winograd's F(4×4, 3×3) (Lavin & Gray 2016): a 4×4 output tile is
/// Aᵀ[(G k Gᵀ) ⊙ (Bᵀ d B)]A for a 6×6 input tile d and a 3×3 kernel k. Activations are
/// transformed eight channels at a time (one `nChw8c` block, one `SIMD8`); the kernel once per
/// set of weights, in double precision.
///
/// Interpolation points 0, ±1/2, ±2, ∞ rather than Lavin's 0, ±1, ±2, ∞: same operation
/// count, about half the float32 error (max error over random 64-channel tiles 1.0e-5 vs
/// 2.0e-5 of the mean output, Toom–Cook matrices generated for each set in exact fractions),
/// which keeps the models within 1e-4 of PyTorch.
enum WinogradTransform {
    /// Output tile side (m), kernel side (r) and input tile side α = m + r − 1.
    static let outputTile = 4, kernel = 3, inputTile = 6
    /// α²: the number of element-wise products (and GEMMs) per tile.
    static let elements = 36

    /// G k Gᵀ of the 3×3 kernel at `k` (row-major) into `result` (36 values, ξ = 6·row + column),
    /// in double precision, `g` written out: no allocation, no array access.
    @inline(__always)
    static func kernel(_ k: UnsafePointer<Float>, into result: UnsafeMutablePointer<Double>) {
        // G x for a 3-vector x: rows (1, 0, 0), −(8, 4, 2)/15, −(8, −4, 2)/15, (1, 2, 4)/30, (1, −2, 4)/30, (0, 0, 1).
        @inline(__always)
        func apply(_ x0: Double, _ x1: Double, _ x2: Double) -> (Double, Double, Double, Double, Double, Double) {
            (x0, -(8 * x0 + 4 * x1 + 2 * x2) / 15, -(8 * x0 - 4 * x1 + 2 * x2) / 15,
             (x0 + 2 * x1 + 4 * x2) / 30, (x0 - 2 * x1 + 4 * x2) / 30, x2)
        }
        withUnsafeTemporaryAllocation(of: Double.self, capacity: 18) { buffer in
            let m = buffer.baseAddress!  // G k: 6×3, m[3·row + column]
            for c in 0..<3 {
                let v = apply(Double(k[c]), Double(k[3 + c]), Double(k[6 + c]))
                m[c] = v.0; m[3 + c] = v.1; m[6 + c] = v.2; m[9 + c] = v.3; m[12 + c] = v.4; m[15 + c] = v.5
            }
            for r in 0..<6 {  // (G k) Gᵀ: row r of G k times Gᵀ
                let v = apply(m[3 * r], m[3 * r + 1], m[3 * r + 2])
                let row = result + 6 * r
                row[0] = v.0; row[1] = v.1; row[2] = v.2; row[3] = v.3; row[4] = v.4; row[5] = v.5
            }
        }
    }

    /// Bᵀ z for one column (or row) of six vectors.
    @inline(__always)
    static func inputColumn(_ z0: SIMD8<Float>, _ z1: SIMD8<Float>, _ z2: SIMD8<Float>, _ z3: SIMD8<Float>,
                            _ z4: SIMD8<Float>, _ z5: SIMD8<Float>)
        -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
        let a = z4 - 4 * z2, b = 0.5 * z3 - 2 * z1          // rows 1 and 2: a ± b
        let c = z4 - 0.25 * z2, e = 2 * z3 - 0.5 * z1       // rows 3 and 4: c ± e
        return (z0 - 4.25 * z2 + z4, a + b, a - b, c + e, c - e, z1 - 4.25 * z3 + z5)
    }

    /// Aᵀ z for one column (or row) of six vectors.
    @inline(__always)
    static func outputColumn(_ z0: SIMD8<Float>, _ z1: SIMD8<Float>, _ z2: SIMD8<Float>, _ z3: SIMD8<Float>,
                             _ z4: SIMD8<Float>, _ z5: SIMD8<Float>)
        -> (SIMD8<Float>, SIMD8<Float>, SIMD8<Float>, SIMD8<Float>) {
        let sum12 = z1 + z2, diff12 = z1 - z2, sum34 = z3 + z4, diff34 = z3 - z4
        return (z0 + sum12 + sum34, 0.5 * diff12 + 2 * diff34, 0.25 * sum12 + 4 * sum34,
                0.125 * diff12 + 8 * diff34 + z5)
    }

    /// Bᵀ d B of one 6×6 tile: `tile` holds d (index 6·row + column) on entry and the
    /// transformed tile (same indexing) on return.
    @inline(__always)
    static func transformInput(_ tile: UnsafeMutablePointer<SIMD8<Float>>) {
        for k in 0..<6 {
            let t = inputColumn(tile[k], tile[6 + k], tile[12 + k], tile[18 + k], tile[24 + k], tile[30 + k])
            tile[k] = t.0; tile[6 + k] = t.1; tile[12 + k] = t.2; tile[18 + k] = t.3; tile[24 + k] = t.4; tile[30 + k] = t.5
        }
        for r in 0..<6 {
            let row = tile + 6 * r
            let t = inputColumn(row[0], row[1], row[2], row[3], row[4], row[5])
            row[0] = t.0; row[1] = t.1; row[2] = t.2; row[3] = t.3; row[4] = t.4; row[5] = t.5
        }
    }

    /// Aᵀ m A of one 6×6 tile of products: `tile` holds m (index 6·row + column); the 4×4
    /// result goes to `result` (index 4·row + column). `tile` is overwritten.
    @inline(__always)
    static func transformOutput(_ tile: UnsafeMutablePointer<SIMD8<Float>>, into result: UnsafeMutablePointer<SIMD8<Float>>) {
        for k in 0..<6 {
            let t = outputColumn(tile[k], tile[6 + k], tile[12 + k], tile[18 + k], tile[24 + k], tile[30 + k])
            tile[k] = t.0; tile[6 + k] = t.1; tile[12 + k] = t.2; tile[18 + k] = t.3
        }
        for r in 0..<4 {
            let row = tile + 6 * r
            let t = outputColumn(row[0], row[1], row[2], row[3], row[4], row[5])
            result[4 * r] = t.0; result[4 * r + 1] = t.1; result[4 * r + 2] = t.2; result[4 * r + 3] = t.3
        }
    }
}
