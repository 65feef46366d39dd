import CDNNL
import Engine

/// Nearest-neighbour upsampling by an integer factor (oneDNN resampling). For integer
/// factors oneDNN's half-pixel rule is plain pixel repetition, as PyTorch's `nearest`.
extension DNNLBackend {
    private func resizeForward(source: dnnl_memory_desc_t, factor: Int) throws -> Primitive {
        try primitive(PrimitiveKey("resize.fwd", source.layoutKey, [Int64(factor)])) {
            let dims = source.logicalDims
            var src = source
            var dst = try dnnl_memory_desc_t.any([dims[0], dims[1], dims[2] * factor, dims[3] * factor])
            var desc = dnnl_resampling_desc_t()
            try dnnlCall("dnnl_resampling_forward_desc_init") {
                dnnl_resampling_forward_desc_init(&desc, dnnl_forward_training, dnnl_resampling_nearest, nil, &src, &dst)
            }
            return try makePrimitive(&desc)
        }
    }

    public func resizeNearest(_ x: Tensor, factor: Int) throws -> Tensor {
        guard x.shape.count == 4, factor >= 1 else {
            throw EngineError.shapeMismatch("resizeNearest: input \(x.shape) must be [N, C, H, W] and factor \(factor) ≥ 1")
        }
        let input = try storage(of: x, "resizeNearest")
        let forward = try resizeForward(source: input.desc, factor: factor)
        let y = allocate(forward.memory(dnnl_query_dst_md))
        try execute(forward, [Argument(DNNL_ARG_SRC, input), Argument(DNNL_ARG_DST, y)])
        return tensor(y)
    }

    public func resizeNearestBackward(_ dy: Tensor, factor: Int) throws -> Tensor {
        guard dy.shape.count == 4, factor >= 1, dy.shape[2] % factor == 0, dy.shape[3] % factor == 0 else {
            throw EngineError.shapeMismatch("resizeNearestBackward: gradient \(dy.shape) is not a ×\(factor) upsampling")
        }
        let gradient = try storage(of: dy, "resizeNearestBackward")
        let sourceDims = [dy.shape[0], dy.shape[1], dy.shape[2] / factor, dy.shape[3] / factor]
        let source = try gradient.desc.sameFormat(dims: sourceDims)
        let forward = try resizeForward(source: source, factor: factor)
        let backward = try primitive(PrimitiveKey("resize.bwd", source.layoutKey, [Int64(factor)])) {
            var diffSrc = source
            var diffDst = forward.memory(dnnl_query_dst_md)
            var desc = dnnl_resampling_desc_t()
            try dnnlCall("dnnl_resampling_backward_desc_init") {
                dnnl_resampling_backward_desc_init(&desc, dnnl_resampling_nearest, nil, &diffSrc, &diffDst)
            }
            return try makePrimitive(&desc, hint: forward)
        }
        let dx = allocate(backward.memory(dnnl_query_diff_src_md))
        try execute(backward, [
            Argument(DNNL_ARG_DIFF_DST, try converted(gradient, to: backward.memory(dnnl_query_diff_dst_md))),
            Argument(DNNL_ARG_DIFF_SRC, dx),
        ])
        return tensor(dx)
    }
}
