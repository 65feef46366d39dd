import CDNNL
import Engine

/// Softmax over the channel axis (axis 1) of `[N, C, H, W]` or `[N, C]`, run by oneDNN
/// in the input's layout (blocked or channels-last; plain `nchw` is moved to `nhwc` first).
extension DNNLBackend {
    public func softmax(_ x: Tensor) throws -> Tensor {
        guard x.shape.count == 2 || x.shape.count == 4 else {
            throw EngineError.shapeMismatch("softmax: input \(x.shape) must be [N, C, H, W] or [N, C]")
        }
        var input = try storage(of: x, "softmax")
        // Over channels of plain nchw oneDNN only has a slow reference kernel; nhwc is jit.
        if x.shape.count == 4, input.desc.isSameLayout(as: try .plain(x.shape)) {
            input = try converted(input, to: .make(x.shape, dnnl_acdb))
        }
        let forward = try primitive(PrimitiveKey("softmax", input.desc.layoutKey)) {
            var data = input.desc
            var desc = dnnl_softmax_desc_t()
            try dnnlCall("dnnl_softmax_forward_desc_init") {
                dnnl_softmax_forward_desc_init(&desc, dnnl_forward_inference, &data, 1)
            }
            return try makePrimitive(&desc)
        }
        let y = allocate(forward.memory(dnnl_query_dst_md))
        try execute(forward, [Argument(DNNL_ARG_SRC, input), Argument(DNNL_ARG_DST, y)])
        return tensor(y)
    }
}
