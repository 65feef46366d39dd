import CDNNL
import Engine

/// `linear`: oneDNN inner product, y = x·Wᵀ + b with x `[N, F]`, W `[O, F]` (`oi`), b `[O]`.
extension DNNLBackend {
    private struct LinearShape {
        let input: [Int], weight: [Int], output: [Int]

        init(x: [Int], weight: [Int], op: String) throws {
            guard x.count == 2, weight.count == 2, x[1] == weight[1] else {
                throw EngineError.shapeMismatch("\(op): input \(x) and weight \(weight) must be [N, F] and [O, F]")
            }
            self.input = x
            self.weight = weight
            self.output = [x[0], weight[0]]
        }

        var key: [Int64] { (input + weight).map(Int64.init) }
    }

    private func linearForward(_ shape: LinearShape) throws -> Primitive {
        try primitive(PrimitiveKey("linear.fwd", shape.key)) {
            var src = try dnnl_memory_desc_t.any(shape.input), weights = try dnnl_memory_desc_t.any(shape.weight)
            var bias = try dnnl_memory_desc_t.plain([shape.weight[0]]), dst = try dnnl_memory_desc_t.any(shape.output)
            var desc = dnnl_inner_product_desc_t()
            try dnnlCall("dnnl_inner_product_forward_desc_init") {
                dnnl_inner_product_forward_desc_init(&desc, dnnl_forward_training, &src, &weights, &bias, &dst)
            }
            return try makePrimitive(&desc)
        }
    }

    public func linear(_ x: Tensor, weight: HostTensor, bias: HostTensor) throws -> Tensor {
        let shape = try LinearShape(x: x.shape, weight: weight.shape, op: "linear")
        guard bias.shape == [weight.shape[0]] else {
            throw EngineError.shapeMismatch("linear: bias \(bias.shape) does not fit weight \(weight.shape)")
        }
        let forward = try linearForward(shape)
        let y = allocate(forward.memory(dnnl_query_dst_md))
        try execute(forward, [
            Argument(DNNL_ARG_SRC, try converted(storage(of: x, "linear"), to: forward.memory(dnnl_query_src_md))),
            Argument(DNNL_ARG_WEIGHTS, try converted(weight, to: forward.memory(dnnl_query_weights_md))),
            Argument(DNNL_ARG_BIAS, try converted(bias, to: forward.memory(dnnl_query_weights_md, index: 1))),
            Argument(DNNL_ARG_DST, y),
        ])
        return tensor(y)
    }

    public func linearBackward(_ dy: Tensor, x: Tensor, weight: HostTensor, needInputGradient: Bool)
        throws -> (dx: Tensor?, dWeight: HostTensor, dBias: HostTensor) {
        let shape = try LinearShape(x: x.shape, weight: weight.shape, op: "linearBackward")
        guard dy.shape == shape.output else {
            throw EngineError.shapeMismatch("linearBackward: gradient \(dy.shape) differs from the output \(shape.output)")
        }
        let forward = try linearForward(shape)
        let gradient = try storage(of: dy, "linearBackward")

        var dx: Tensor?
        if needInputGradient {
            let backwardData = try primitive(PrimitiveKey("linear.bwd_data", shape.key)) {
                var diffSrc = try dnnl_memory_desc_t.any(shape.input), weights = try dnnl_memory_desc_t.any(shape.weight)
                var diffDst = try dnnl_memory_desc_t.any(shape.output)
                var desc = dnnl_inner_product_desc_t()
                try dnnlCall("dnnl_inner_product_backward_data_desc_init") {
                    dnnl_inner_product_backward_data_desc_init(&desc, &diffSrc, &weights, &diffDst)
                }
                return try makePrimitive(&desc, hint: forward)
            }
            let diffSrc = allocate(backwardData.memory(dnnl_query_diff_src_md))
            try execute(backwardData, [
                Argument(DNNL_ARG_WEIGHTS, try converted(weight, to: backwardData.memory(dnnl_query_weights_md))),
                Argument(DNNL_ARG_DIFF_DST, try converted(gradient, to: backwardData.memory(dnnl_query_diff_dst_md))),
                Argument(DNNL_ARG_DIFF_SRC, diffSrc),
            ])
            dx = tensor(diffSrc)
        }

        let backwardWeights = try primitive(PrimitiveKey("linear.bwd_weights", shape.key)) {
            var src = try dnnl_memory_desc_t.any(shape.input), diffWeights = try dnnl_memory_desc_t.any(shape.weight)
            var diffBias = try dnnl_memory_desc_t.plain([shape.weight[0]])
            var diffDst = try dnnl_memory_desc_t.any(shape.output)
            var desc = dnnl_inner_product_desc_t()
            try dnnlCall("dnnl_inner_product_backward_weights_desc_init") {
                dnnl_inner_product_backward_weights_desc_init(&desc, &src, &diffWeights, &diffBias, &diffDst)
            }
            return try makePrimitive(&desc, hint: forward)
        }
        let diffWeights = allocate(backwardWeights.memory(dnnl_query_diff_weights_md))
        let diffBias = allocate(backwardWeights.memory(dnnl_query_diff_weights_md, index: 1))
        try execute(backwardWeights, [
            Argument(DNNL_ARG_SRC, try converted(storage(of: x, "linearBackward"),
                                                 to: backwardWeights.memory(dnnl_query_src_md))),
            Argument(DNNL_ARG_DIFF_DST, try converted(gradient, to: backwardWeights.memory(dnnl_query_diff_dst_md))),
            Argument(DNNL_ARG_DIFF_WEIGHTS, diffWeights),
            Argument(DNNL_ARG_DIFF_BIAS, diffBias),
        ])
        return (dx, try hostTensor(diffWeights, shape: shape.weight), try hostTensor(diffBias, shape: [shape.weight[0]]))
    }
}
