import CDNNL
import CWinogradKernels
import Engine

/// Owns MammoSeg's own Winograd F(4×4, 3×3) inference convolution (conv → folded batch norm →
/// ReLU), for CPUs where oneDNN 2.6 has none (it implements Winograd only for AVX-512; on
/// AVX2 it falls back to direct convolution).
///
/// Per chunk of 4×4 output tiles: the input transform (host, `WinogradTransform`, on the
/// OpenMP team) writes the 36 transformed 6×6 tiles of every channel; one grouped 1×1
/// oneDNN convolution (36 groups: the 36 GEMMs [tiles × Cin] · [Cin × Cout], on weights
/// transformed once and cached) multiplies them; the output transform adds the bias, applies
/// the ReLU and writes `nChw8c`, the layout of oneDNN's AVX2 convolutions. Chunks keep the
/// transformed tiles near the cache instead of streaming 2.25× the activations through memory.
///
/// Dilation 2 (padding 2) is four dilation-1 convolutions on the polyphase sub-images
/// (rows and columns of one parity); the tiles are gathered from them in place.
struct WinogradConvolution {
    let batch: Int
    let inChannels: Int, outChannels: Int
    let height: Int, width: Int
    let dilation: Int
    /// Channel blocks of eight (`nChw8c`), the last zero-padded.
    let inBlocks: Int, outBlocks: Int
    /// Tiles per polyphase sub-image along each axis.
    let tilesDown: Int, tilesAcross: Int
    /// Tiles in the whole batch: batch · dilation² · tilesDown · tilesAcross.
    let tileCount: Int

    static let blockSize = 8

    /// The plan for `spec`, or nil when it is not a 3×3, stride-1, "same" convolution with
    /// dilation 1 or 2 and at least `minimumChannels` in and out.
    init?(_ spec: ConvolutionSpec, minimumChannels: Int) {
        let g = spec.geometry
        guard spec.kind == .convolution, g.kernelH == 3, g.kernelW == 3, g.stride == 1,
              g.dilation == 1 || g.dilation == 2, g.padding == g.dilation,
              min(spec.weightDims[0], spec.weightDims[1]) >= minimumChannels else { return nil }
        batch = spec.input[0]
        inChannels = spec.weightDims[1]
        outChannels = spec.weightDims[0]
        height = spec.input[2]
        width = spec.input[3]
        dilation = g.dilation
        inBlocks = (inChannels + Self.blockSize - 1) / Self.blockSize
        outBlocks = (outChannels + Self.blockSize - 1) / Self.blockSize
        let m = WinogradTransform.outputTile
        tilesDown = ((height + dilation - 1) / dilation + m - 1) / m
        tilesAcross = ((width + dilation - 1) / dilation + m - 1) / m
        tileCount = batch * dilation * dilation * tilesDown * tilesAcross
    }

    /// Tiles per chunk: enough that the GEMMs reuse each transformed weight over many tiles,
    /// few enough that a chunk's transformed tiles (in and out) stay near `chunkBytes`.
    var chunkTiles: Int {
        let bytesPerTile = WinogradTransform.elements * (inBlocks + outBlocks) * Self.blockSize * 4
        return min(tileCount, max(Self.minimumChunkTiles, Self.chunkBytes / bytesPerTile))
    }

    static let chunkBytes = 2 << 20
    static let minimumChunkTiles = 128

    /// The activation layout read and written: `nChw8c`.
    func activationDesc(channels: Int) throws -> dnnl_memory_desc_t {
        try .make([batch, channels, height, width], dnnl_aBcd8b)
    }

    /// The 36 GEMMs of `tiles` tiles as one grouped 1×1 convolution: source
    /// `[1, 36·inBlocks·8, 1, tiles]` and destination `[1, 36·outBlocks·8, 1, tiles]` in `nChw8c`
    /// (element ξ's tiles are group ξ), weights `[36, outBlocks·8, inBlocks·8, 1, 1]`.
    func gemmDesc(tiles: Int) throws -> dnnl_convolution_desc_t {
        let b = Self.blockSize, e = WinogradTransform.elements
        var src = try dnnl_memory_desc_t.make([1, e * inBlocks * b, 1, tiles], dnnl_aBcd8b)
        var dst = try dnnl_memory_desc_t.make([1, e * outBlocks * b, 1, tiles], dnnl_aBcd8b)
        var weights = try dnnl_memory_desc_t.any(gemmWeightDims)
        var desc = dnnl_convolution_desc_t()
        let ones: [Int64] = [1, 1], zeros: [Int64] = [0, 0]
        try dnnlCall("dnnl_convolution_forward_desc_init") {
            dnnl_convolution_forward_desc_init(&desc, dnnl_forward_inference, dnnl_convolution_direct, &src, &weights,
                                               nil, &dst, ones, zeros, zeros)
        }
        return desc
    }

    var gemmWeightDims: [Int] {
        [WinogradTransform.elements, outBlocks * Self.blockSize, inBlocks * Self.blockSize, 1, 1]
    }

    func key(tiles: Int) -> PrimitiveKey {
        PrimitiveKey("winograd.gemm", [Int64(inBlocks), Int64(outBlocks), Int64(tiles)])
    }

    /// The transformed weights in `goihw` order (`gemmWeightDims`, zero where channels are
    /// padded) and the bias padded to `outBlocks`·8, from PyTorch-layout `weight` [O, I, 3, 3].
    /// Allocation-free per kernel (the first 640² pass transforms ~3 M of them).
    func transformedWeights(_ weight: HostTensor, bias: HostTensor) -> (weights: [Float], bias: [Float]) {
        let b = Self.blockSize, e = WinogradTransform.elements
        let paddedIn = inBlocks * b, paddedOut = outBlocks * b
        var result = [Float](repeating: 0, count: e * paddedOut * paddedIn)
        let (inChannels, outChannels) = (self.inChannels, self.outChannels)
        result.withUnsafeMutableBufferPointer { out in
            weight.scalars.withUnsafeBufferPointer { w in
                withUnsafeTemporaryAllocation(of: Double.self, capacity: e) { scratch in
                    let transformed = scratch.baseAddress!
                    for o in 0..<outChannels {
                        for i in 0..<inChannels {
                            WinogradTransform.kernel(w.baseAddress! + (o * inChannels + i) * 9, into: transformed)
                            for ξ in 0..<e { out[(ξ * paddedOut + o) * paddedIn + i] = Float(transformed[ξ]) }
                        }
                    }
                }
            }
        }
        var paddedBias = [Float](repeating: 0, count: paddedOut)
        for o in 0..<outChannels { paddedBias[o] = bias.scalars[o] }
        return (result, paddedBias)
    }

    // MARK: Transforms

    /// The tile's batch index, polyphase (row and column parity) and tile position in the sub-image.
    @inline(__always)
    func tileOrigin(_ tile: Int) -> (n: Int, phaseY: Int, phaseX: Int, tileY: Int, tileX: Int) {
        let tileX = tile % tilesAcross
        var rest = tile / tilesAcross
        let tileY = rest % tilesDown
        rest /= tilesDown
        let phase = rest % (dilation * dilation)
        return (rest / (dilation * dilation), phase / dilation, phase % dilation, tileY, tileX)
    }

    /// Whether this CPU runs the AVX2 + FMA transforms (`CWinogradKernels`); the Swift ones otherwise.
    static let hasAVX2Transforms = DNNLBackend.cpuHasAVX2FMA

    /// The geometry the C transforms take.
    var kernelPlan: MammosegWinogradPlan {
        MammosegWinogradPlan(height: height, width: width, dilation: dilation, inBlocks: inBlocks, outBlocks: outBlocks,
                             tilesDown: tilesDown, tilesAcross: tilesAcross)
    }

    /// Bᵀ d B of tiles `first + u % tiles` and channel block `u / tiles`, for u in `units`, into
    /// `transformed` (the GEMM source of a chunk of `tiles` tiles starting at `first`).
    func transformInput(_ input: UnsafePointer<Float>, units: Range<Int>, first: Int, tiles: Int,
                        into transformed: UnsafeMutablePointer<Float>, useAVX2: Bool = hasAVX2Transforms) {
        if useAVX2 {
            var plan = kernelPlan
            mammoseg_winograd_input_avx2(&plan, input, units.lowerBound, units.upperBound, first, tiles, transformed)
            return
        }
        let b = Self.blockSize, d = dilation, m = WinogradTransform.outputTile
        let planeStride = height * width * b
        let elementStride = inBlocks * tiles * b
        withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: 36) { scratch in
            let tile = scratch.baseAddress!
            for unit in units {
                let block = unit / tiles, local = unit % tiles
                let origin = tileOrigin(first + local)
                let plane = input + (origin.n * inBlocks + block) * planeStride
                let y0 = origin.phaseY + d * (m * origin.tileY - 1), x0 = origin.phaseX + d * (m * origin.tileX - 1)
                let interior = y0 >= 0 && x0 >= 0 && y0 + 5 * d < height && x0 + 5 * d < width
                for j in 0..<6 {
                    let y = y0 + d * j
                    for k in 0..<6 {
                        let x = x0 + d * k
                        if interior || (y >= 0 && y < height && x >= 0 && x < width) {
                            tile[6 * j + k] = UnsafeRawPointer(plane + (y * width + x) * b)
                                .loadUnaligned(as: SIMD8<Float>.self)
                        } else {
                            tile[6 * j + k] = .zero
                        }
                    }
                }
                WinogradTransform.transformInput(tile)
                let destination = transformed + (block * tiles + local) * b
                for ξ in 0..<36 {
                    UnsafeMutableRawPointer(destination + ξ * elementStride).storeBytes(of: tile[ξ], as: SIMD8<Float>.self)
                }
            }
        }
    }

    /// Aᵀ m A + bias, then ReLU, of tiles `first + u % tiles` and output channel block
    /// `u / tiles`, for u in `units`, from `products` (the GEMM destination) into `output`.
    func transformOutput(_ products: UnsafePointer<Float>, units: Range<Int>, first: Int, tiles: Int,
                         bias: UnsafePointer<Float>, into output: UnsafeMutablePointer<Float>,
                         useAVX2: Bool = hasAVX2Transforms) {
        if useAVX2 {
            var plan = kernelPlan
            mammoseg_winograd_output_avx2(&plan, products, units.lowerBound, units.upperBound, first, tiles, bias, output)
            return
        }
        let b = Self.blockSize, d = dilation, m = WinogradTransform.outputTile
        let planeStride = height * width * b
        let elementStride = outBlocks * tiles * b
        withUnsafeTemporaryAllocation(of: SIMD8<Float>.self, capacity: 52) { scratch in
            let tile = scratch.baseAddress!, result = tile + 36
            for unit in units {
                let block = unit / tiles, local = unit % tiles
                let source = products + (block * tiles + local) * b
                for ξ in 0..<36 {
                    tile[ξ] = UnsafeRawPointer(source + ξ * elementStride).loadUnaligned(as: SIMD8<Float>.self)
                }
                WinogradTransform.transformOutput(tile, into: result)
                let shift = UnsafeRawPointer(bias + block * b).loadUnaligned(as: SIMD8<Float>.self)
                let origin = tileOrigin(first + local)
                let plane = output + (origin.n * outBlocks + block) * planeStride
                let y0 = origin.phaseY + d * m * origin.tileY, x0 = origin.phaseX + d * m * origin.tileX
                for i in 0..<4 where y0 + d * i < height {
                    let y = y0 + d * i
                    for c in 0..<4 where x0 + d * c < width {
                        let sum = result[4 * i + c] + shift
                        let value = sum.replacing(with: 0, where: sum .< 0)
                        UnsafeMutableRawPointer(plane + (y * width + x0 + d * c) * b).storeBytes(of: value, as: SIMD8<Float>.self)
                    }
                }
            }
        }
    }
}
