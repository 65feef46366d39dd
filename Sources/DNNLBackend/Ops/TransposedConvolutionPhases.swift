import CDNNL
import Engine

/// A stride-s transposed convolution as one ordinary convolution plus a pixel shuffle.
///
/// Output pixel (s·q + a, s·u + b) — "phase" (a, b) — only ever meets the kernel taps
/// ky ≡ a + p, kx ≡ b + p (mod s), so with k = m·s each phase is an m×m convolution of the
/// input. All s² phases together are one m×m convolution with s²·Cout output channels
/// (channel (a·s + b)·Cout + o), and the transposed convolution's output is that result
/// with each pixel's channel groups spread over an s×s block (depth-to-space).
///
/// Why: oneDNN 2.6 runs deconvolution as a backward-data convolution plus a scalar bias
/// loop, 4–5× slower than its forward convolution on the study's tconv1 (4×4, stride 2;
/// DNNL_VERBOSE: 3.6 ms of a 15 ms pass at 256², width 0.25). The convolution here does
/// the same multiply-adds (no zero taps), takes a fused ReLU, and the shuffle is one
/// strided reorder per phase.
///
/// Phase a at output row q reads input rows q + c_a − j, j < m, with tap ky = s·j + r_a,
/// where a + p = s·c_a + r_a. A convolution with padding P = m − 1 − c_0 puts phase a of
/// row q at its output row q + δ_a, δ_a = c_a − c_0, through tap ty = m − 1 − j. Used when
/// δ_a = a·δ_1 (e.g. k 4, s 2, p 1: δ = 0, 1; or p = 0: δ = 0) and the convolution's
/// padding is symmetric; other geometries keep the deconvolution primitive.
struct TransposedConvolutionPhases {
    let stride: Int
    /// Taps per phase and axis (k / s).
    let taps: Int
    /// The equivalent convolution's geometry (m×m, stride 1, padding P on both sides).
    let geometry: ConvGeometry
    /// δ_1: how far phase 1's rows sit below phase 0's in the convolution output (0 or 1).
    let phaseOffset: Int
    let input: [Int]
    let output: [Int]
    /// `[s²·Cout, Cin, m, m]`.
    let convolutionWeightShape: [Int]
    private let remainders: [Int]

    /// nil when the geometry has no single-reorder decomposition.
    init?(_ spec: ConvolutionSpec) {
        let g = spec.geometry
        let s = g.stride, k = g.kernelH, p = g.padding
        guard spec.kind == .deconvolution, s >= 2, g.dilation == 1, g.kernelW == k, k % s == 0,
              spec.output[2] % s == 0, spec.output[3] % s == 0 else { return nil }
        let m = k / s
        let quotients = (0..<s).map { ($0 + p) / s }
        let offsets = quotients.map { $0 - quotients[0] }
        let padding = m - 1 - quotients[0]
        guard padding >= 0, offsets.enumerated().allSatisfy({ $0.element == $0.offset * offsets[1] }) else { return nil }
        // Rows the convolution must produce: every phase's last row, at its offset.
        let rows = spec.output[2] / s + offsets[s - 1], columns = spec.output[3] / s + offsets[s - 1]
        guard rows == spec.input[2] + 2 * padding - m + 1, columns == spec.input[3] + 2 * padding - m + 1 else { return nil }
        stride = s
        taps = m
        geometry = ConvGeometry(kernel: m, stride: 1, padding: padding)
        phaseOffset = offsets[1]
        input = spec.input
        output = spec.output
        remainders = (0..<s).map { ($0 + p) % s }
        convolutionWeightShape = [s * s * spec.weightDims[0], spec.weightDims[1], m, m]
    }

    /// The convolution's weight from the transposed convolution's PyTorch weight
    /// `[Cin, Cout, k, k]`: W′[(a·s + b)·Cout + o, i, ty, tx] = W[i, o, s·(m−1−ty) + r_a, s·(m−1−tx) + r_b].
    func convolutionWeight(_ weight: HostTensor) -> HostTensor {
        let (inputs, outputs, k) = (weight.shape[0], weight.shape[1], weight.shape[2])
        let (s, m) = (stride, taps)
        var result = [Float](repeating: 0, count: convolutionWeightShape.reduce(1, *))
        for a in 0..<s {
            for b in 0..<s {
                for o in 0..<outputs {
                    let row = (a * s + b) * outputs + o
                    for i in 0..<inputs {
                        for ty in 0..<m {
                            for tx in 0..<m {
                                let ky = s * (m - 1 - ty) + remainders[a], kx = s * (m - 1 - tx) + remainders[b]
                                result[((row * inputs + i) * m + ty) * m + tx] =
                                    weight.scalars[((i * outputs + o) * k + ky) * k + kx]
                            }
                        }
                    }
                }
            }
        }
        return HostTensor(shape: convolutionWeightShape, scalars: result)
    }

    /// The bias repeated for every phase.
    func convolutionBias(_ bias: HostTensor) -> HostTensor {
        HostTensor(shape: [stride * stride * bias.count], scalars: Array(repeating: bias.scalars, count: stride * stride).flatMap { $0 })
    }

    /// One phase's pixels in the convolution output (channels-last `[N, s²·Cout, rows,
    /// columns]`) and in the result (channels-last `[N, Cout, H′, W′]`), each as a strided
    /// `[N, Cout, H′/s, W′/s]` view plus the element offset where it starts. One reorder
    /// per phase: oneDNN rejects a single 6-D view whose strides interleave.
    func shuffle(phase a: Int, _ b: Int, convolutionOutput dims: [Int]) throws
        -> (source: dnnl_memory_desc_t, sourceOffset: Int, destination: dnnl_memory_desc_t, destinationOffset: Int) {
        let (n, channels, rows, columns) = (dims[0], dims[1], dims[2], dims[3])
        let (outputs, height, width) = (output[1], output[2], output[3])
        let s = stride, d = phaseOffset
        let view = [n, outputs, height / s, width / s]
        let source = try dnnl_memory_desc_t.strided(view, strides: [rows * columns * channels, 1, columns * channels, channels])
        let destination = try dnnl_memory_desc_t.strided(view, strides: [height * width * outputs, 1, s * width * outputs,
                                                                        s * outputs])
        return (source, (a * d * columns + b * d) * channels + (a * s + b) * outputs,
                destination, (a * width + b) * outputs)
    }
}
