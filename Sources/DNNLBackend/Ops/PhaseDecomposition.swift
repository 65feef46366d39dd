import CDNNL
import Engine

/// An upsampling by an integer factor s — a stride-s transposed convolution, or a nearest
/// resize ×s followed by a stride-1 convolution — computed as one ordinary convolution on
/// the small input plus a pixel shuffle.
///
/// Output pixel (s·q + a, s·u + b), "phase" (a, b), is a fixed linear function of a few
/// input pixels near (q, u): along each axis, kernel tap κ of phase a reads input row
/// q + e_a(κ), or nothing.
/// - Transposed convolution (padding p): e_a(κ) = (a + p − κ) / s where that divides.
/// - Resize ×s, then a convolution (padding p, dilation d): e_a(κ) = ⌊(a − p + d·κ) / s⌋.
/// Adding up, per phase, the taps that read the same input row gives an m×m kernel whose
/// window starts at row q + e_a,min. All s² phases together are one m×m convolution with
/// s²·Cout output channels (channel (a·s + b)·Cout + o) and padding P = −min_a e_a,min; phase a
/// of row q lands in its output row q + δ_a, δ_a = e_a,min + P. The result is that output
/// with each pixel's channel groups spread over an s×s block (depth-to-space), one strided
/// reorder per phase (oneDNN rejects a single view whose strides interleave).
///
/// Why: oneDNN 2.6 runs a deconvolution as a backward-data convolution plus a scalar bias
/// loop, 4–5× slower than its forward convolutions on the study's tconv1 (4×4, stride 2;
/// DNNL_VERBOSE: 3.6 of a 15 ms pass at 256², width 0.25); and a 3×3 convolution after a
/// ×4 resize reads each input pixel 16 times over, where the decomposition has 2.1× fewer
/// multiply-adds (2×2 taps instead of 3×3 per phase, mostly merged) on wide channels.
/// Neither adds zero taps for the study's geometries; the ReLU stays fusable.
struct PhaseDecomposition {
    enum Source { case transposedConvolution, resizeThenConvolution }

    let source: Source
    /// s.
    let factor: Int
    /// The equivalent convolution's geometry (m×m, stride 1, padding P on both sides).
    let geometry: ConvGeometry
    /// δ_a per phase: the row (and column) offset of the phase in the convolution output.
    let phaseOffsets: [Int]
    /// The upsampled result `[N, Cout, H′, W′]`.
    let output: [Int]
    /// `[s²·Cout, Cin, m, m]`.
    let convolutionWeightShape: [Int]
    /// For phase a and kernel tap κ: the small kernel's tap it adds into, or nil.
    private let smallTaps: [[Int?]]

    /// A stride-s transposed convolution (square kernel k, no dilation, H′ = (H − 1)·s − 2p + k
    /// a multiple of s); nil when it does not decompose.
    init?(transposed spec: ConvolutionSpec) {
        let g = spec.geometry
        guard spec.kind == .deconvolution, g.stride >= 2, g.dilation == 1, g.kernelH == g.kernelW else { return nil }
        let (s, p) = (g.stride, g.padding)
        let offsets = (0..<s).map { a in
            (0..<g.kernelH).map { κ -> Int? in (a + p - κ) % s == 0 ? (a + p - κ) / s : nil }
        }
        self.init(.transposedConvolution, offsets: offsets, factor: s, input: spec.input, output: spec.output,
                  inChannels: spec.weightDims[1], outChannels: spec.weightDims[0])
    }

    /// Nearest resize ×s followed by a stride-1 "same" convolution (square kernel).
    init?(resizedBy s: Int, then spec: ConvolutionSpec) {
        let g = spec.geometry
        guard spec.kind == .convolution, s >= 2, g.stride == 1, g.kernelH == g.kernelW,
              spec.output[2] == spec.input[2], spec.output[3] == spec.input[3],
              spec.input[2] % s == 0, spec.input[3] % s == 0 else { return nil }
        let (p, d) = (g.padding, g.dilation)
        let offsets = (0..<s).map { a in
            (0..<g.kernelH).map { κ -> Int? in Int((Double(a - p + d * κ) / Double(s)).rounded(.down)) }
        }
        let small = [spec.input[0], spec.input[1], spec.input[2] / s, spec.input[3] / s]
        self.init(.resizeThenConvolution, offsets: offsets, factor: s, input: small, output: spec.output,
                  inChannels: spec.weightDims[1], outChannels: spec.weightDims[0])
    }

    private init?(_ source: Source, offsets: [[Int?]], factor s: Int, input: [Int], output: [Int],
                  inChannels: Int, outChannels: Int) {
        guard output[2] % s == 0, output[3] % s == 0 else { return nil }
        let used = offsets.map { $0.compactMap { $0 } }
        guard used.allSatisfy({ !$0.isEmpty }) else { return nil }
        let first = used.map { $0.min()! }, last = used.map { $0.max()! }
        let taps = zip(first, last).map { $1 - $0 + 1 }.max()!
        let padding = -first.min()!
        let phaseOffsets = first.map { $0 + padding }
        // Every phase's rows must fit in the convolution output (extra rows go unread).
        let needed = output[2] / s + phaseOffsets.max()!, neededColumns = output[3] / s + phaseOffsets.max()!
        guard padding >= 0, input[2] + 2 * padding - taps + 1 >= needed,
              input[3] + 2 * padding - taps + 1 >= neededColumns else { return nil }
        self.source = source
        self.factor = s
        self.geometry = ConvGeometry(kernel: taps, stride: 1, padding: padding)
        self.phaseOffsets = phaseOffsets
        self.output = output
        self.convolutionWeightShape = [s * s * outChannels, inChannels, taps, taps]
        self.smallTaps = offsets.enumerated().map { a, row in row.map { $0.map { $0 - first[a] } } }
    }

    /// The convolution's weight from the original one (PyTorch layout: `[Cin, Cout, k, k]`
    /// transposed, `[Cout, Cin, k, k]` otherwise): W′[(a·s + b)·Cout + o, i, ty, tx] is the
    /// sum of W's taps (κy, κx) of phase (a, b) that fall on small tap (ty, tx).
    func convolutionWeight(_ weight: HostTensor) -> HostTensor {
        let s = factor, m = geometry.kernelH, k = weight.shape[2]
        let (outputs, inputs) = source == .transposedConvolution ? (weight.shape[1], weight.shape[0])
                                                                 : (weight.shape[0], weight.shape[1])
        func original(_ o: Int, _ i: Int, _ ky: Int, _ kx: Int) -> Float {
            source == .transposedConvolution ? weight.scalars[((i * outputs + o) * k + ky) * k + kx]
                                             : weight.scalars[((o * inputs + i) * k + ky) * k + kx]
        }
        var result = [Float](repeating: 0, count: convolutionWeightShape.reduce(1, *))
        for a in 0..<s {
            for b in 0..<s {
                for ky in 0..<k {
                    guard let ty = smallTaps[a][ky] else { continue }
                    for kx in 0..<k {
                        guard let tx = smallTaps[b][kx] else { continue }
                        for o in 0..<outputs {
                            let row = (a * s + b) * outputs + o
                            for i in 0..<inputs {
                                result[((row * inputs + i) * m + ty) * m + tx] += original(o, i, ky, kx)
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
        HostTensor(shape: [factor * factor * bias.count],
                   scalars: Array(repeating: bias.scalars, count: factor * factor).flatMap { $0 })
    }

    /// One phase's pixels in the convolution output (channels-last `[N, s²·Cout, rows,
    /// columns]`) and in the result (plain `[N, Cout, H′, W′]`), each as a strided
    /// `[N, Cout, H′/s, W′/s]` view plus the element offset where it starts.
    func shuffle(phase a: Int, _ b: Int, convolutionOutput dims: [Int]) throws
        -> (source: dnnl_memory_desc_t, sourceOffset: Int, destination: dnnl_memory_desc_t, destinationOffset: Int) {
        let (n, channels, rows, columns) = (dims[0], dims[1], dims[2], dims[3])
        let (outputs, height, width) = (output[1], output[2], output[3])
        let s = factor
        let view = [n, outputs, height / s, width / s]
        let source = try dnnl_memory_desc_t.strided(view, strides: [rows * columns * channels, 1, columns * channels, channels])
        let destination = try dnnl_memory_desc_t.strided(view, strides: [outputs * height * width, height * width,
                                                                        s * width, s])
        return (source, (phaseOffsets[a] * columns + phaseOffsets[b]) * channels + (a * s + b) * outputs,
                destination, a * width + b)
    }

    /// The channel block of a blocked layout (`aBcd8b`, `aBcd16b`) whose blocks each lie wholly
    /// in one phase's channel group, or nil (then the shuffle goes through channels-last).
    func channelBlock(of desc: dnnl_memory_desc_t, convolutionOutput dims: [Int]) throws -> Int? {
        for (block, tag) in [(8, dnnl_aBcd8b), (16, dnnl_aBcd16b)] where output[1] % block == 0 {
            if desc.isSameLayout(as: try .make(dims, tag)) { return block }
        }
        return nil
    }

    /// The pixel shuffle between blocked layouts: the result, in the convolution output's
    /// blocked layout, for `units` of its (image, channel block, row) triples. Whole B-float
    /// pixels move at once; no channel padding exists because B divides Cout.
    func shuffleBlocked(_ source: UnsafePointer<Float>, rows: Int, columns: Int, block: Int,
                        into destination: UnsafeMutablePointer<Float>, units: Range<Int>) {
        let s = factor, (height, width) = (output[2], output[3])
        let outBlocks = output[1] / block, sourceBlocks = s * s * outBlocks
        for unit in units {
            let y = unit % height, outBlock = unit / height % outBlocks, image = unit / height / outBlocks
            let (q, a) = (y / s, y % s)
            var target = destination + ((image * outBlocks + outBlock) * height + y) * width * block
            // The s phase channel-block planes this output row reads, at their first column.
            let planes = (0..<s).map { b in
                source + (((image * sourceBlocks + (a * s + b) * outBlocks + outBlock) * rows + q + phaseOffsets[a]) * columns
                          + phaseOffsets[b]) * block
            }
            for u in 0..<(width / s) {
                for b in 0..<s {
                    let from = UnsafeRawPointer(planes[b] + u * block)
                    for lane in stride(from: 0, to: block, by: 8) {
                        UnsafeMutableRawPointer(target + lane).storeBytes(
                            of: from.loadUnaligned(fromByteOffset: lane * 4, as: SIMD8<Float>.self), as: SIMD8<Float>.self)
                    }
                    target += block
                }
            }
        }
    }
}

extension DNNLBackend {
    /// Runs a decomposed upsampling on the small input `x`: the convolution (ReLU fused when
    /// asked) into a scratch tensor, then the pixel shuffle into the result. Where every phase's
    /// channels fill whole channel blocks, the convolution runs in oneDNN's blocked layout
    /// (its fastest kernels; channels-last ran the study's layers at 15–40 instead of ~50
    /// GMAC/s) and the shuffle moves whole blocks; otherwise the convolution runs channels-last
    /// and one strided reorder per phase writes a plain NCHW result.
    ///
    /// `original` gives the original weight and bias (PyTorch layouts); it runs only when
    /// `sources` (whatever they are computed from) are not in the weight cache.
    func runDecomposed(_ phases: PhaseDecomposition, _ x: Tensor, hasBias: Bool, sources: [[Float]], fusedReLU: Bool,
                       op: String, original: () -> (weight: HostTensor, bias: HostTensor?)) throws -> Tensor {
        let s = phases.factor
        let spec = try ConvolutionSpec(.convolution, input: x.shape, weight: phases.convolutionWeightShape,
                                       biasCount: hasBias ? phases.convolutionWeightShape[0] : nil,
                                       geometry: phases.geometry, op: op, fusedReLU: fusedReLU,
                                       channelsLast: phases.output[1] % 8 != 0)
        let (forward, _) = try convolutionForward(spec)
        let phaseWeights = try derivedWeights(for: forward, spec, sources: sources, kind: "phases×\(s)") {
            let (weight, bias) = original()
            return (phases.convolutionWeight(weight), bias.map(phases.convolutionBias))
        }
        let phaseMajor = try runConvolutionForward(forward, x, weight: phaseWeights.weight, bias: phaseWeights.bias, op: op)
        var source = try storage(of: phaseMajor, op)
        if let block = try phases.channelBlock(of: source.desc, convolutionOutput: phaseMajor.shape) {
            let tag = block == 8 ? dnnl_aBcd8b : dnnl_aBcd16b
            let result = allocate(try .make(phases.output, tag))
            let from = UnsafePointer(source.data.assumingMemoryBound(to: Float.self))
            let into = result.data.assumingMemoryBound(to: Float.self)
            let (rows, columns) = (phaseMajor.shape[2], phaseMajor.shape[3])
            openMPParallel(phases.output[0] * phases.output[1] / block * phases.output[2], threads: threads) { units in
                phases.shuffleBlocked(from, rows: rows, columns: columns, block: block, into: into, units: units)
            }
            withExtendedLifetime(source) {}
            return tensor(result)
        }
        source = try converted(source, to: try .make(phaseMajor.shape, dnnl_acdb))
        // Plain NCHW: what the thin kernel reads (these are the layers with few channels).
        let result = allocate(try .plain(phases.output))
        let element = MemoryLayout<Float>.stride
        for a in 0..<s {
            for b in 0..<s {
                let view = try phases.shuffle(phase: a, b, convolutionOutput: phaseMajor.shape)
                try reorder(from: view.source, source.data + view.sourceOffset * element,
                            to: view.destination, result.data + view.destinationOffset * element)
            }
        }
        return tensor(result)
    }
}
