import CDNNL

/// An owned `dnnl_primitive_attr_t` (scratchpad mode, post-ops); oneDNN copies attributes
/// into each primitive descriptor, so this only has to live while primitives are created.
final class PrimitiveAttributes {
    let attributes: dnnl_primitive_attr_t

    /// A copy of `source` to add settings to.
    init(cloning source: dnnl_primitive_attr_t) throws {
        var attributes: dnnl_primitive_attr_t?
        try dnnlCall("dnnl_primitive_attr_clone") { dnnl_primitive_attr_clone(&attributes, source) }
        self.attributes = attributes!
    }

    deinit { dnnl_primitive_attr_destroy(attributes) }
}
