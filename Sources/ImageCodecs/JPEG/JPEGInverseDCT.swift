/// The accurate integer inverse DCT of IJG's jidctint.c (jpeg_idct_islow, the Loeffler–
/// Ligtenberg–Moschytz algorithm with 13-bit constants), so results match libjpeg within ±1.
/// 12-bit data use one pass-1 fraction bit instead of two, as IJG does, to stay in range.
enum JPEGInverseDCT {
    private static let constBits = 13
    private static let fix_0_298631336 = 2446
    private static let fix_0_390180644 = 3196
    private static let fix_0_541196100 = 4433
    private static let fix_0_765366865 = 6270
    private static let fix_0_899976223 = 7373
    private static let fix_1_175875602 = 9633
    private static let fix_1_501321110 = 12299
    private static let fix_1_847759065 = 15137
    private static let fix_1_961570560 = 16069
    private static let fix_2_053119869 = 16819
    private static let fix_2_562915447 = 20995
    private static let fix_3_072711026 = 25172

    /// `coefficients`: 64 quantized values in natural (row-major) order; `quantization`: the
    /// table in natural order. Writes 8 × 8 clamped samples at `output` with `stride`.
    @inline(__always)
    static func transform(_ coefficients: UnsafePointer<Int32>, quantization: UnsafePointer<Int32>,
                          precision: Int, output: UnsafeMutablePointer<Int32>, stride: Int,
                          workspace: UnsafeMutablePointer<Int>) {
        let pass1Bits = precision == 12 ? 1 : 2
        let center = 1 << (precision - 1), maximum = (1 << precision) - 1

        // Pass 1: columns, into the workspace scaled up by 2^pass1Bits.
        for column in 0..<8 {
            let input = coefficients + column, q = quantization + column, ws = workspace + column
            if input[8] == 0 && input[16] == 0 && input[24] == 0 && input[32] == 0
                && input[40] == 0 && input[48] == 0 && input[56] == 0 {
                let dc = (Int(input[0]) * Int(q[0])) << pass1Bits
                for row in 0..<8 { ws[row * 8] = dc }
                continue
            }
            var z2 = Int(input[16]) * Int(q[16]), z3 = Int(input[48]) * Int(q[48])
            var z1 = (z2 + z3) * fix_0_541196100
            var tmp2 = z1 + z3 * -fix_1_847759065
            var tmp3 = z1 + z2 * fix_0_765366865
            z2 = Int(input[0]) * Int(q[0])
            z3 = Int(input[32]) * Int(q[32])
            var tmp0 = (z2 + z3) << constBits
            var tmp1 = (z2 - z3) << constBits
            let tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2

            tmp0 = Int(input[56]) * Int(q[56])
            tmp1 = Int(input[40]) * Int(q[40])
            tmp2 = Int(input[24]) * Int(q[24])
            tmp3 = Int(input[8]) * Int(q[8])
            z1 = tmp0 + tmp3
            z2 = tmp1 + tmp2
            z3 = tmp0 + tmp2
            var z4 = tmp1 + tmp3
            let z5 = (z3 + z4) * fix_1_175875602
            tmp0 *= fix_0_298631336
            tmp1 *= fix_2_053119869
            tmp2 *= fix_3_072711026
            tmp3 *= fix_1_501321110
            z1 *= -fix_0_899976223
            z2 *= -fix_2_562915447
            z3 *= -fix_1_961570560
            z4 *= -fix_0_390180644
            z3 += z5
            z4 += z5
            tmp0 += z1 + z3
            tmp1 += z2 + z4
            tmp2 += z2 + z3
            tmp3 += z1 + z4

            let shift = constBits - pass1Bits, round = 1 << (shift - 1)
            ws[0] = (tmp10 + tmp3 + round) >> shift
            ws[56] = (tmp10 - tmp3 + round) >> shift
            ws[8] = (tmp11 + tmp2 + round) >> shift
            ws[48] = (tmp11 - tmp2 + round) >> shift
            ws[16] = (tmp12 + tmp1 + round) >> shift
            ws[40] = (tmp12 - tmp1 + round) >> shift
            ws[24] = (tmp13 + tmp0 + round) >> shift
            ws[32] = (tmp13 - tmp0 + round) >> shift
        }

        // Pass 2: rows, descaled by 2^(constBits + pass1Bits + 3), level-shifted and clamped.
        let shift = constBits + pass1Bits + 3, round = 1 << (shift - 1)
        @inline(__always) func sample(_ value: Int) -> Int32 {
            Int32(truncatingIfNeeded: min(max(((value + round) >> shift) + center, 0), maximum))
        }
        for row in 0..<8 {
            let ws = workspace + row * 8, out = output + row * stride
            var z2 = ws[2], z3 = ws[6]
            var z1 = (z2 + z3) * fix_0_541196100
            var tmp2 = z1 + z3 * -fix_1_847759065
            var tmp3 = z1 + z2 * fix_0_765366865
            var tmp0 = (ws[0] + ws[4]) << constBits
            var tmp1 = (ws[0] - ws[4]) << constBits
            let tmp10 = tmp0 + tmp3, tmp13 = tmp0 - tmp3, tmp11 = tmp1 + tmp2, tmp12 = tmp1 - tmp2

            tmp0 = ws[7]
            tmp1 = ws[5]
            tmp2 = ws[3]
            tmp3 = ws[1]
            z1 = tmp0 + tmp3
            z2 = tmp1 + tmp2
            z3 = tmp0 + tmp2
            var z4 = tmp1 + tmp3
            let z5 = (z3 + z4) * fix_1_175875602
            tmp0 *= fix_0_298631336
            tmp1 *= fix_2_053119869
            tmp2 *= fix_3_072711026
            tmp3 *= fix_1_501321110
            z1 *= -fix_0_899976223
            z2 *= -fix_2_562915447
            z3 *= -fix_1_961570560
            z4 *= -fix_0_390180644
            z3 += z5
            z4 += z5
            tmp0 += z1 + z3
            tmp1 += z2 + z4
            tmp2 += z2 + z3
            tmp3 += z1 + z4

            out[0] = sample(tmp10 + tmp3)
            out[7] = sample(tmp10 - tmp3)
            out[1] = sample(tmp11 + tmp2)
            out[6] = sample(tmp11 - tmp2)
            out[2] = sample(tmp12 + tmp1)
            out[5] = sample(tmp12 - tmp1)
            out[3] = sample(tmp13 + tmp0)
            out[4] = sample(tmp13 - tmp0)
        }
    }

    /// `transform` of a block whose AC coefficients are all zero, with the same rounding.
    @inline(__always)
    static func transformDC(_ dc: Int32, quantization: Int32, precision: Int,
                            output: UnsafeMutablePointer<Int32>, stride: Int) {
        let pass1Bits = precision == 12 ? 1 : 2
        let center = 1 << (precision - 1), maximum = (1 << precision) - 1
        let shift = constBits + pass1Bits + 3, round = 1 << (shift - 1)
        let workspace = (Int(dc) * Int(quantization)) << pass1Bits
        let value = Int32(truncatingIfNeeded: min(max((((workspace << constBits) + round) >> shift) + center, 0), maximum))
        for row in 0..<8 {
            (output + row * stride).update(repeating: value, count: 8)
        }
    }
}
