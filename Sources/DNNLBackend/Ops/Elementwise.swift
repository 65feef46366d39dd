import CDNNL
import Engine

/// ReLU (oneDNN eltwise, the variant whose backward reads the output) and element-wise
/// addition (oneDNN binary add). Outputs keep the input's layout.
extension DNNLBackend {
    private func reluForward(data: dnnl_memory_desc_t) throws -> Primitive {
        try primitive(PrimitiveKey("relu.fwd", data.layoutKey)) {
            var dataDesc = data
            var desc = dnnl_eltwise_desc_t()
            try dnnlCall("dnnl_eltwise_forward_desc_init") {
                dnnl_eltwise_forward_desc_init(&desc, dnnl_forward_training, dnnl_eltwise_relu_use_dst_for_bwd,
                                               &dataDesc, 0, 0)
            }
            return try makePrimitive(&desc)
        }
    }

    public func relu(_ x: Tensor) throws -> Tensor {
        let input = try storage(of: x, "relu")
        let forward = try reluForward(data: input.desc)
        let y = allocate(input.desc)
        try execute(forward, [Argument(DNNL_ARG_SRC, input), Argument(DNNL_ARG_DST, y)])
        return tensor(y)
    }

    public func reluBackward(_ dy: Tensor, y: Tensor) throws -> Tensor {
        guard dy.shape == y.shape else {
            throw EngineError.shapeMismatch("reluBackward: gradient \(dy.shape) differs from output \(y.shape)")
        }
        let output = try storage(of: y, "reluBackward")
        let forward = try reluForward(data: output.desc)
        let backward = try primitive(PrimitiveKey("relu.bwd", output.desc.layoutKey)) {
            var data = output.desc, diffData = output.desc
            var desc = dnnl_eltwise_desc_t()
            try dnnlCall("dnnl_eltwise_backward_desc_init") {
                dnnl_eltwise_backward_desc_init(&desc, dnnl_eltwise_relu_use_dst_for_bwd, &diffData, &data, 0, 0)
            }
            return try makePrimitive(&desc, hint: forward)
        }
        let dx = allocate(output.desc)
        try execute(backward, [
            Argument(DNNL_ARG_DST, output),
            Argument(DNNL_ARG_DIFF_DST, try converted(storage(of: dy, "reluBackward"), to: output.desc)),
            Argument(DNNL_ARG_DIFF_SRC, dx),
        ])
        return tensor(dx)
    }

    public func add(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        guard a.shape == b.shape else {
            throw EngineError.shapeMismatch("add: \(a.shape) and \(b.shape) differ")
        }
        let lhs = try storage(of: a, "add")
        // Mixed layouts would send binary add to a slow reference kernel; align b to a.
        let rhs = try converted(storage(of: b, "add"), to: lhs.desc)
        let sum = try primitive(PrimitiveKey("add", lhs.desc.layoutKey)) {
            var src0 = lhs.desc, src1 = lhs.desc, dst = lhs.desc
            var desc = dnnl_binary_desc_t()
            try dnnlCall("dnnl_binary_desc_init") { dnnl_binary_desc_init(&desc, dnnl_binary_add, &src0, &src1, &dst) }
            return try makePrimitive(&desc)
        }
        let y = allocate(lhs.desc)
        try execute(sum, [Argument(DNNL_ARG_SRC_0, lhs), Argument(DNNL_ARG_SRC_1, rhs), Argument(DNNL_ARG_DST, y)])
        return tensor(y)
    }
}
