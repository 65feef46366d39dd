import CDNNL

/// A oneDNN primitive descriptor together with the primitive built from it.
///
/// Created once per op/shape/layout key (see `PrimitiveCache`); the descriptor stays
/// alive so later calls can query the layouts the implementation chose and so backward
/// primitives can name it as their forward hint.
final class Primitive {
    let descriptor: dnnl_primitive_desc_t
    let primitive: dnnl_primitive_t

    /// Builds from an op descriptor (`dnnl_convolution_desc_t` etc.) with a user-mode
    /// scratchpad attribute, optionally hinted by the forward primitive.
    convenience init(opDesc: UnsafeRawPointer, attr: dnnl_primitive_attr_t?, engine: dnnl_engine_t,
         hint: Primitive?) throws {
        var pd: dnnl_primitive_desc_t?
        try dnnlCall("dnnl_primitive_desc_create") {
            dnnl_primitive_desc_create(&pd, opDesc, attr, engine, hint?.descriptor)
        }
        try self.init(descriptor: pd!)
    }

    /// Takes ownership of a created primitive descriptor and builds its primitive.
    init(descriptor pd: dnnl_primitive_desc_t) throws {
        var primitive: dnnl_primitive_t?
        do {
            try dnnlCall("dnnl_primitive_create") { dnnl_primitive_create(&primitive, pd) }
        } catch {
            dnnl_primitive_desc_destroy(pd)
            throw error
        }
        self.descriptor = pd
        self.primitive = primitive!
    }

    /// The layout the implementation uses for one of its arguments, e.g.
    /// `memory(dnnl_query_weights_md)` or `memory(dnnl_query_scratchpad_md)`.
    func memory(_ query: dnnl_query_t, index: Int32 = 0) -> dnnl_memory_desc_t {
        // The returned pointer lives as long as the descriptor; copy the struct out.
        dnnl_primitive_desc_query_md(descriptor, query, index).pointee
    }

    deinit {
        dnnl_primitive_destroy(primitive)
        dnnl_primitive_desc_destroy(descriptor)
    }
}

/// Cache key: an op name plus every number that changes the primitive (dims, layouts,
/// geometry, flags).
struct PrimitiveKey: Hashable {
    let op: String
    let values: [Int64]

    init(_ op: String, _ parts: [Int64]...) {
        self.op = op
        self.values = parts.flatMap { $0 + [-1] }
    }
}
