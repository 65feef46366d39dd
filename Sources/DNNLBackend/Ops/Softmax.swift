import CDNNL
import Foundation
import Engine

/// Softmax over the channel axis (axis 1) of `[N, C, H, W]` or `[N, C]`.
///
/// Few channels (the study's two classes): one host pass over channels-last input, written
/// straight into plain `nchw`, so the download that follows is a copy. oneDNN's kernel
/// handles rows of C elements, and at C = 2 its per-row overhead made it the slowest op of
/// inference (DNNL_VERBOSE). More channels: oneDNN in the input's layout (blocked or
/// channels-last; plain `nchw` is moved to `nhwc` first, where oneDNN has no fast kernel).
extension DNNLBackend {
    /// Up to this many channels the host pass is used.
    static let hostSoftmaxMaximumChannels = 4

    public func softmax(_ x: Tensor) throws -> Tensor {
        guard x.shape.count == 2 || x.shape.count == 4 else {
            throw EngineError.shapeMismatch("softmax: input \(x.shape) must be [N, C, H, W] or [N, C]")
        }
        var input = try storage(of: x, "softmax")
        if x.shape.count == 4, x.shape[1] <= Self.hostSoftmaxMaximumChannels {
            return tensor(try hostSoftmax(input, shape: x.shape))
        }
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

    /// p[n, c, h, w] = exp(z[n, c, h, w] − max_c z) / Σ_c exp(…), read channels-last, written `nchw`.
    private func hostSoftmax(_ input: DNNLStorage, shape: [Int]) throws -> DNNLStorage {
        let (n, channels, plane) = (shape[0], shape[1], shape[2] * shape[3])
        let source = try converted(input, to: .make(shape, dnnl_acdb))
        let output = allocate(try .plain(shape))
        let z = source.data.assumingMemoryBound(to: Float.self)
        let p = output.data.assumingMemoryBound(to: Float.self)
        var exponentials = [Float](repeating: 0, count: channels)
        for image in 0..<n {
            for pixel in 0..<plane {
                let row = z + (image * plane + pixel) * channels
                var top = -Float.infinity
                for c in 0..<channels { top = max(top, row[c]) }
                var sum: Float = 0
                for c in 0..<channels {
                    exponentials[c] = expf(row[c] - top)
                    sum += exponentials[c]
                }
                for c in 0..<channels { p[(image * channels + c) * plane + pixel] = exponentials[c] / sum }
            }
        }
        return output
    }
}
