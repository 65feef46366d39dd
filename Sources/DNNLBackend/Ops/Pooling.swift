import CDNNL
import Engine

/// What `maxPool2x2Backward` needs: oneDNN's workspace (the arg-max position of each
/// output, one byte per element) and the input layout the forward primitive was built for.
final class MaxPoolState {
    let workspace: DNNLStorage
    let sourceDesc: dnnl_memory_desc_t

    init(workspace: DNNLStorage, sourceDesc: dnnl_memory_desc_t) {
        self.workspace = workspace
        self.sourceDesc = sourceDesc
    }
}

/// Max pooling 2×2 / stride 2 (forward-training with workspace) and global average
/// pooling (average pooling whose kernel is the whole image).
extension DNNLBackend {
    private static let window: [Int64] = [2, 2]
    private static let noPadding: [Int64] = [0, 0]

    private func maxPoolForward(source: dnnl_memory_desc_t) throws -> Primitive {
        try primitive(PrimitiveKey("maxpool.fwd", source.layoutKey)) {
            let dims = source.logicalDims
            var src = source
            var dst = try dnnl_memory_desc_t.any([dims[0], dims[1], dims[2] / 2, dims[3] / 2])
            var desc = dnnl_pooling_desc_t()
            try dnnlCall("dnnl_pooling_forward_desc_init") {
                dnnl_pooling_forward_desc_init(&desc, dnnl_forward_training, dnnl_pooling_max, &src, &dst,
                                               Self.window, Self.window, Self.noPadding, Self.noPadding)
            }
            return try makePrimitive(&desc)
        }
    }

    public func maxPool2x2(_ x: Tensor) throws -> (y: Tensor, saved: SavedState) {
        guard x.shape.count == 4, x.shape[2] % 2 == 0, x.shape[3] % 2 == 0 else {
            throw EngineError.shapeMismatch("maxPool2x2: input \(x.shape) must be [N, C, H, W] with even H and W")
        }
        let input = try storage(of: x, "maxPool2x2")
        let forward = try maxPoolForward(source: input.desc)
        let y = allocate(forward.memory(dnnl_query_dst_md))
        let workspace = allocate(forward.memory(dnnl_query_workspace_md))
        try execute(forward, [Argument(DNNL_ARG_SRC, input), Argument(DNNL_ARG_DST, y),
                              Argument(DNNL_ARG_WORKSPACE, workspace)])
        return (tensor(y), SavedState(MaxPoolState(workspace: workspace, sourceDesc: input.desc)))
    }

    public func maxPool2x2Backward(_ dy: Tensor, x: Tensor, saved: SavedState) throws -> Tensor {
        guard let state = saved.value as? MaxPoolState else {
            throw EngineError.invalidArgument("maxPool2x2Backward: saved state does not come from this backend's maxPool2x2")
        }
        guard x.shape.count == 4, dy.shape == [x.shape[0], x.shape[1], x.shape[2] / 2, x.shape[3] / 2] else {
            throw EngineError.shapeMismatch("maxPool2x2Backward: output gradient \(dy.shape) does not fit input \(x.shape)")
        }
        let source = state.sourceDesc
        let forward = try maxPoolForward(source: source)
        let backward = try primitive(PrimitiveKey("maxpool.bwd", source.layoutKey)) {
            var diffSrc = source
            var diffDst = forward.memory(dnnl_query_dst_md)
            var desc = dnnl_pooling_desc_t()
            try dnnlCall("dnnl_pooling_backward_desc_init") {
                dnnl_pooling_backward_desc_init(&desc, dnnl_pooling_max, &diffSrc, &diffDst,
                                                Self.window, Self.window, Self.noPadding, Self.noPadding)
            }
            return try makePrimitive(&desc, hint: forward)
        }
        let dx = allocate(backward.memory(dnnl_query_diff_src_md))
        try execute(backward, [
            Argument(DNNL_ARG_DIFF_DST, try converted(storage(of: dy, "maxPool2x2Backward"),
                                                      to: backward.memory(dnnl_query_diff_dst_md))),
            Argument(DNNL_ARG_WORKSPACE, state.workspace),
            Argument(DNNL_ARG_DIFF_SRC, dx),
        ])
        return tensor(dx)
    }

    // MARK: Global average pooling

    private func averagePoolForward(source: dnnl_memory_desc_t) throws -> Primitive {
        try primitive(PrimitiveKey("avgpool.fwd", source.layoutKey)) {
            let dims = source.logicalDims
            var src = source
            var dst = try dnnl_memory_desc_t.any([dims[0], dims[1], 1, 1])
            let kernel = [Int64(dims[2]), Int64(dims[3])]
            var desc = dnnl_pooling_desc_t()
            try dnnlCall("dnnl_pooling_forward_desc_init") {
                dnnl_pooling_forward_desc_init(&desc, dnnl_forward_training, dnnl_pooling_avg_exclude_padding,
                                               &src, &dst, [1, 1], kernel, Self.noPadding, Self.noPadding)
            }
            return try makePrimitive(&desc)
        }
    }

    public func globalAveragePool(_ x: Tensor) throws -> Tensor {
        guard x.shape.count == 4 else {
            throw EngineError.shapeMismatch("globalAveragePool: input \(x.shape) must be [N, C, H, W]")
        }
        let input = try storage(of: x, "globalAveragePool")
        let forward = try averagePoolForward(source: input.desc)
        let pooled = allocate(forward.memory(dnnl_query_dst_md))
        try execute(forward, [Argument(DNNL_ARG_SRC, input), Argument(DNNL_ARG_DST, pooled)])
        // [N, C, 1, 1] in plain layout has the same bytes as [N, C] plain.
        let (n, c) = (x.shape[0], x.shape[1])
        let plain = try converted(pooled, to: .plain([n, c, 1, 1]))
        return tensor(DNNLStorage(viewing: plain, as: try .plain([n, c])))
    }

    public func globalAveragePoolBackward(_ dy: Tensor, inputShape: [Int]) throws -> Tensor {
        guard inputShape.count == 4, inputShape.allSatisfy({ $0 > 0 }), dy.shape == [inputShape[0], inputShape[1]] else {
            throw EngineError.shapeMismatch("globalAveragePoolBackward: gradient \(dy.shape) does not fit input \(inputShape)")
        }
        let (n, c) = (inputShape[0], inputShape[1])
        // The input's layout is gone; build for the channel-blocked layout convolutions produce.
        let source = try dnnl_memory_desc_t.make(inputShape, dnnl_aBcd16b)
        let forward = try averagePoolForward(source: source)
        let backward = try primitive(PrimitiveKey("avgpool.bwd", source.layoutKey)) {
            var diffSrc = source
            var diffDst = forward.memory(dnnl_query_dst_md)
            let kernel = [Int64(inputShape[2]), Int64(inputShape[3])]
            var desc = dnnl_pooling_desc_t()
            try dnnlCall("dnnl_pooling_backward_desc_init") {
                dnnl_pooling_backward_desc_init(&desc, dnnl_pooling_avg_exclude_padding, &diffSrc, &diffDst,
                                                [1, 1], kernel, Self.noPadding, Self.noPadding)
            }
            return try makePrimitive(&desc, hint: forward)
        }
        let plain = try converted(storage(of: dy, "globalAveragePoolBackward"), to: .plain([n, c]))
        let gradient4D = DNNLStorage(viewing: plain, as: try .plain([n, c, 1, 1]))
        let dx = allocate(backward.memory(dnnl_query_diff_src_md))
        try execute(backward, [
            Argument(DNNL_ARG_DIFF_DST, try converted(gradient4D, to: backward.memory(dnnl_query_diff_dst_md))),
            Argument(DNNL_ARG_DIFF_SRC, dx),
        ])
        return tensor(dx)
    }
}
