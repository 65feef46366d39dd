import CDNNL
import Engine

/// Runs `WinogradConvolution` for the fused inference ops: which convolutions take it, the
/// transformed-weight cache, and the chunked transform → GEMM → transform loop.
extension DNNLBackend {
    /// oneDNN 2.6 implements Winograd only for AVX-512 (`jit_avx512_core_f32_wino_conv_4x3`).
    static let oneDNNHasWinograd: Bool = {
        let core = dnnl_cpu_isa_avx512_core.rawValue
        return dnnl_get_effective_cpu_isa().rawValue & core == core
    }()

    /// The plan when the fused inference convolution `spec` runs MammoSeg's Winograd.
    func ownWinograd(for spec: ConvolutionSpec) -> WinogradConvolution? {
        guard spec.fusedReLU else { return nil }
        switch winogradMode {
        case .never: return nil
        case .automatic where Self.oneDNNHasWinograd: return nil
        case .automatic, .always: return WinogradConvolution(spec, minimumChannels: winogradMinimumChannels)
        }
    }

    /// Fewest channels in and out for the path. Thread CPU time of one fused layer, one
    /// thread, 640² width 1.0 batch 2 shapes, own Winograd vs oneDNN 2.6 direct (jit:avx2), on the
    /// shared 2-core AVX2 VM: 32 → 32 at 320²: 87–95 vs 67–69 ms; 64 → 64 at 160²: 64–88 vs
    /// 57–63; 128 → 128 at 80²: 41–49 vs 63–64; 256 → 256 at 40²: 34 vs 65; 512 → 512 at
    /// 20²: 32–42 vs 61–74; dilation 2: 43 vs 65. Below 128 channels the transforms (SSE
    /// code: Swift targets baseline x86-64) cost as much as the GEMMs save.
    static let defaultWinogradMinimumChannels = 128

    /// relu(conv(x, weight) + bias) with the weight and bias `fold` derives from `sources`
    /// (batch norm folded in), transformed once per set of sources (the weight cache).
    func runWinograd(_ plan: WinogradConvolution, _ x: Tensor, sources: [[Float]], op: String,
                     _ fold: () -> (weight: HostTensor, bias: HostTensor)) throws -> Tensor {
        let chunk = plan.chunkTiles
        let input = try converted(try storage(of: x, op), to: plan.activationDesc(channels: plan.inChannels))
        let output = allocate(try plan.activationDesc(channels: plan.outChannels))
        let full = try winogradGEMM(plan, tiles: chunk)
        let fullWeights = try winogradWeights(plan, for: full, sources: sources, fold)
        let transformedTiles = allocate(full.memory(dnnl_query_src_md))
        let products = allocate(full.memory(dnnl_query_dst_md))
        let source = UnsafePointer(input.data.assumingMemoryBound(to: Float.self))
        let destination = output.data.assumingMemoryBound(to: Float.self)
        let inTiles = transformedTiles.data.assumingMemoryBound(to: Float.self)
        let outTiles = UnsafePointer(products.data.assumingMemoryBound(to: Float.self))

        for first in stride(from: 0, to: plan.tileCount, by: chunk) {
            let tiles = min(chunk, plan.tileCount - first)
            let gemm = tiles == chunk ? full : try winogradGEMM(plan, tiles: tiles)
            // The remainder's GEMM normally wants the same weight layout: one cache look-up per
            // call keeps the cache's reuse period (counted in look-ups) that of the other paths.
            let transformed = gemm.memory(dnnl_query_weights_md).isSameLayout(as: fullWeights.weights.desc)
                ? fullWeights : try winogradWeights(plan, for: gemm, sources: sources, fold)
            let bias = UnsafePointer(transformed.bias.data.assumingMemoryBound(to: Float.self))
            openMPParallel(plan.inBlocks * tiles, threads: threads) { units in
                plan.transformInput(source, units: units, first: first, tiles: tiles, into: inTiles)
            }
            try execute(gemm, [
                Argument(DNNL_ARG_SRC, gemm.memory(dnnl_query_src_md), transformedTiles.data, owner: transformedTiles),
                Argument(DNNL_ARG_WEIGHTS, transformed.weights),
                Argument(DNNL_ARG_DST, gemm.memory(dnnl_query_dst_md), products.data, owner: products),
            ])
            openMPParallel(plan.outBlocks * tiles, threads: threads) { units in
                plan.transformOutput(outTiles, units: units, first: first, tiles: tiles, bias: bias, into: destination)
            }
        }
        withExtendedLifetime((input, transformedTiles, products)) {}
        return tensor(output)
    }

    /// The grouped 1×1 convolution doing a chunk's 36 GEMMs.
    private func winogradGEMM(_ plan: WinogradConvolution, tiles: Int) throws -> Primitive {
        try primitive(plan.key(tiles: tiles)) {
            var desc = try plan.gemmDesc(tiles: tiles)
            return try makePrimitive(&desc)
        }
    }

    /// The transformed weights in `gemm`'s layout and the padded bias, from the weight cache.
    private func winogradWeights(_ plan: WinogradConvolution, for gemm: Primitive, sources: [[Float]],
                                 _ fold: () -> (weight: HostTensor, bias: HostTensor)) throws
        -> (weights: DNNLStorage, bias: DNNLStorage) {
        let weightDesc = gemm.memory(dnnl_query_weights_md)
        let values = try weights.values(for: sources, layout: PrimitiveKey("winograd", weightDesc.layoutKey)) {
            let (weight, bias) = fold()
            let transformed = plan.transformedWeights(weight, bias: bias)
            let dims = plan.gemmWeightDims
            return [try converted(HostTensor(shape: dims, scalars: transformed.weights),
                                  as: .make(dims, dnnl_abcde), to: weightDesc),
                    try converted(HostTensor(shape: [transformed.bias.count], scalars: transformed.bias),
                                  to: .plain([transformed.bias.count]))]
        }
        return (values[0], values[1])
    }
}
