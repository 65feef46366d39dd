import CDNNL
import Engine

/// What `batchNormBackward` needs from the forward pass: the batch statistics exactly as
/// oneDNN produced them, and with a fused ReLU its workspace (the ReLU mask).
final class BatchNormState {
    let mean: DNNLStorage
    let variance: DNNLStorage
    let workspace: DNNLStorage?

    init(mean: DNNLStorage, variance: DNNLStorage, workspace: DNNLStorage?) {
        self.mean = mean
        self.variance = variance
        self.workspace = workspace
    }
}

/// Batch normalisation: oneDNN's primitive with separate scale (γ) and shift (β) vectors;
/// `dnnl_fuse_norm_relu` applies the ReLU in the same pass. oneDNN's variance is the biased
/// one (1/NHW), as the protocol asks; running statistics are the caller's.
extension DNNLBackend {
    private func batchNormFlags(fuseReLU: Bool, globalStats: Bool = false) -> UInt32 {
        var flags = dnnl_use_scale.rawValue | dnnl_use_shift.rawValue
        if fuseReLU { flags |= dnnl_fuse_norm_relu.rawValue }
        if globalStats { flags |= dnnl_use_global_stats.rawValue }
        return flags
    }

    private func checkBatchNorm(_ x: Tensor, _ vectors: [HostTensor], _ op: String) throws {
        guard x.shape.count == 4 else { throw EngineError.shapeMismatch("\(op): input \(x.shape) must be [N, C, H, W]") }
        for vector in vectors where vector.shape != [x.shape[1]] {
            throw EngineError.shapeMismatch("\(op): per-channel vector \(vector.shape) does not fit input \(x.shape)")
        }
    }

    private func batchNormForward(data: dnnl_memory_desc_t, epsilon: Float, flags: UInt32,
                                  prop: dnnl_prop_kind_t) throws -> Primitive {
        try primitive(PrimitiveKey("bnorm.fwd", data.layoutKey,
                                   [Int64(epsilon.bitPattern), Int64(flags), Int64(prop.rawValue)])) {
            var dataDesc = data
            var desc = dnnl_batch_normalization_desc_t()
            try dnnlCall("dnnl_batch_normalization_forward_desc_init") {
                dnnl_batch_normalization_forward_desc_init(&desc, prop, &dataDesc, epsilon, flags)
            }
            return try makePrimitive(&desc)
        }
    }

    public func batchNormTraining(_ x: Tensor, gamma: HostTensor, beta: HostTensor, epsilon: Float, fuseReLU: Bool)
        throws -> (y: Tensor, mean: HostTensor, variance: HostTensor, saved: SavedState) {
        try checkBatchNorm(x, [gamma, beta], "batchNormTraining")
        let input = try storage(of: x, "batchNormTraining")
        let channels = [x.shape[1]]
        let forward = try batchNormForward(data: input.desc, epsilon: epsilon,
                                           flags: batchNormFlags(fuseReLU: fuseReLU), prop: dnnl_forward_training)
        let vector = try dnnl_memory_desc_t.plain(channels)
        let y = allocate(forward.memory(dnnl_query_dst_md))
        let mean = allocate(vector), variance = allocate(vector)
        let workspace = fuseReLU ? allocate(forward.memory(dnnl_query_workspace_md)) : nil
        var arguments = [
            Argument(DNNL_ARG_SRC, input),
            Argument(DNNL_ARG_SCALE, try converted(gamma, to: vector)),
            Argument(DNNL_ARG_SHIFT, try converted(beta, to: vector)),
            Argument(DNNL_ARG_DST, y), Argument(DNNL_ARG_MEAN, mean), Argument(DNNL_ARG_VARIANCE, variance),
        ]
        if let workspace { arguments.append(Argument(DNNL_ARG_WORKSPACE, workspace)) }
        try execute(forward, arguments)
        let state = BatchNormState(mean: mean, variance: variance, workspace: workspace)
        return (tensor(y), try hostTensor(mean, shape: channels), try hostTensor(variance, shape: channels),
                SavedState(state))
    }

    public func batchNormBackward(_ dy: Tensor, x: Tensor, y: Tensor, gamma: HostTensor, beta: HostTensor,
                                  epsilon: Float, fuseReLU: Bool, saved: SavedState)
        throws -> (dx: Tensor, dGamma: HostTensor, dBeta: HostTensor) {
        try checkBatchNorm(x, [gamma, beta], "batchNormBackward")
        guard dy.shape == x.shape else {
            throw EngineError.shapeMismatch("batchNormBackward: gradient \(dy.shape) differs from input \(x.shape)")
        }
        guard let state = saved.value as? BatchNormState, (state.workspace != nil) == fuseReLU else {
            throw EngineError.invalidArgument(
                "batchNormBackward: saved state does not come from this backend's batchNormTraining with fuseReLU \(fuseReLU)")
        }
        let input = try storage(of: x, "batchNormBackward")
        let flags = batchNormFlags(fuseReLU: fuseReLU)
        let forward = try batchNormForward(data: input.desc, epsilon: epsilon, flags: flags, prop: dnnl_forward_training)
        let backward = try primitive(PrimitiveKey("bnorm.bwd", input.desc.layoutKey,
                                                  [Int64(epsilon.bitPattern), Int64(flags)])) {
            var data = input.desc, diffData = input.desc
            var desc = dnnl_batch_normalization_desc_t()
            try dnnlCall("dnnl_batch_normalization_backward_desc_init") {
                dnnl_batch_normalization_backward_desc_init(&desc, dnnl_backward, &diffData, &data, epsilon, flags)
            }
            return try makePrimitive(&desc, hint: forward)
        }
        let channels = [x.shape[1]]
        let vector = try dnnl_memory_desc_t.plain(channels)
        let dx = allocate(backward.memory(dnnl_query_diff_src_md))
        let dGamma = allocate(vector), dBeta = allocate(vector)
        var arguments = [
            Argument(DNNL_ARG_SRC, input),
            Argument(DNNL_ARG_DIFF_DST, try converted(storage(of: dy, "batchNormBackward"),
                                                      to: backward.memory(dnnl_query_diff_dst_md))),
            Argument(DNNL_ARG_MEAN, state.mean), Argument(DNNL_ARG_VARIANCE, state.variance),
            Argument(DNNL_ARG_SCALE, try converted(gamma, to: vector)),
            // Unused by the math, but oneDNN rejects a use_shift backward without it.
            Argument(DNNL_ARG_SHIFT, try converted(beta, to: vector)),
            Argument(DNNL_ARG_DIFF_SRC, dx),
            Argument(DNNL_ARG_DIFF_SCALE, dGamma), Argument(DNNL_ARG_DIFF_SHIFT, dBeta),
        ]
        if let workspace = state.workspace { arguments.append(Argument(DNNL_ARG_WORKSPACE, workspace)) }
        try execute(backward, arguments)
        return (tensor(dx), try hostTensor(dGamma, shape: channels), try hostTensor(dBeta, shape: channels))
    }

    public func batchNormInference(_ x: Tensor, gamma: HostTensor, beta: HostTensor, mean: HostTensor,
                                   variance: HostTensor, epsilon: Float, fuseReLU: Bool) throws -> Tensor {
        try checkBatchNorm(x, [gamma, beta, mean, variance], "batchNormInference")
        let input = try storage(of: x, "batchNormInference")
        let forward = try batchNormForward(data: input.desc, epsilon: epsilon,
                                           flags: batchNormFlags(fuseReLU: fuseReLU, globalStats: true),
                                           prop: dnnl_forward_inference)
        let vector = try dnnl_memory_desc_t.plain([x.shape[1]])
        let y = allocate(forward.memory(dnnl_query_dst_md))
        try execute(forward, [
            Argument(DNNL_ARG_SRC, input),
            Argument(DNNL_ARG_MEAN, try converted(mean, to: vector)),
            Argument(DNNL_ARG_VARIANCE, try converted(variance, to: vector)),
            Argument(DNNL_ARG_SCALE, try converted(gamma, to: vector)),
            Argument(DNNL_ARG_SHIFT, try converted(beta, to: vector)),
            Argument(DNNL_ARG_DST, y),
        ])
        return tensor(y)
    }
}
