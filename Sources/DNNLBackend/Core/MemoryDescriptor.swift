import CDNNL
import Engine

/// Helpers for `dnnl_memory_desc_t`, oneDNN's description of a tensor's dims and layout.
///
/// Logical dims always follow PyTorch's order (`[N, C, H, W]`, `[N, F]`, `[O, I, kh, kw]`);
/// the format tag decides where each element lives (`nchw` plain, `nChw16c` blocked).
extension dnnl_memory_desc_t {
    /// A float32 descriptor with the given dims and format tag (`dnnl_format_tag_any`
    /// lets a primitive choose its preferred layout).
    static func make(_ dims: [Int], _ tag: dnnl_format_tag_t) throws -> dnnl_memory_desc_t {
        var desc = dnnl_memory_desc_t()
        let dims64 = dims.map(Int64.init)
        try dnnlCall("dnnl_memory_desc_init_by_tag") {
            dnnl_memory_desc_init_by_tag(&desc, Int32(dims.count), dims64, dnnl_f32, tag)
        }
        return desc
    }

    /// A float32 descriptor with explicit element strides per dim (views such as the
    /// pixel shuffle of a transposed convolution).
    static func strided(_ dims: [Int], strides: [Int]) throws -> dnnl_memory_desc_t {
        var desc = dnnl_memory_desc_t()
        let dims64 = dims.map(Int64.init), strides64 = strides.map(Int64.init)
        try dnnlCall("dnnl_memory_desc_init_by_strides") {
            dnnl_memory_desc_init_by_strides(&desc, Int32(dims.count), dims64, dnnl_f32, strides64)
        }
        return desc
    }

    /// Row-major float32 layout of the given dims (`x`, `nc`, `nchw`, `oihw`).
    static func plain(_ dims: [Int]) throws -> dnnl_memory_desc_t {
        try make(dims, plainTag(rank: dims.count))
    }

    /// Lets the primitive choose the layout.
    static func any(_ dims: [Int]) throws -> dnnl_memory_desc_t {
        try make(dims, dnnl_format_tag_any)
    }

    static func plainTag(rank: Int) -> dnnl_format_tag_t {
        switch rank {
        case 1: return dnnl_a
        case 2: return dnnl_ab
        case 3: return dnnl_abc
        default: return dnnl_abcd
        }
    }

    /// Logical dims (`ndims` entries).
    var logicalDims: [Int] {
        withUnsafeBytes(of: dims) { raw in
            Array(raw.bindMemory(to: Int64.self).prefix(Int(ndims))).map(Int.init)
        }
    }

    /// Bytes a buffer for this layout needs, including blocked-channel padding.
    var byteCount: Int {
        withUnsafePointer(to: self) { dnnl_memory_desc_get_size($0) }
    }

    func isSameLayout(as other: dnnl_memory_desc_t) -> Bool {
        withUnsafePointer(to: self) { lhs in
            withUnsafePointer(to: other) { rhs in dnnl_memory_desc_equal(lhs, rhs) != 0 }
        }
    }

    /// Dims, format kind and blocking (or Winograd's weight blocking), as a hashable value
    /// for primitive- and weight-cache keys.
    var layoutKey: [Int64] {
        var key: [Int64] = [Int64(ndims), Int64(format_kind.rawValue)]
        let rank = Int(ndims)
        func append<T>(_ tuple: T, count: Int) {
            withUnsafeBytes(of: tuple) { key.append(contentsOf: $0.bindMemory(to: Int64.self).prefix(count)) }
        }
        append(dims, count: rank)
        append(padded_dims, count: rank)
        key.append(offset0)
        if format_kind == dnnl_blocked {
            let blocking = format_desc.blocking
            key.append(Int64(blocking.inner_nblks))
            append(blocking.strides, count: rank)
            append(blocking.inner_blks, count: Int(blocking.inner_nblks))
            append(blocking.inner_idxs, count: Int(blocking.inner_nblks))
        } else if format_kind == dnnl_format_kind_wino {
            // Winograd's weight blocking depends on the whole problem (batch, image size), so
            // two primitives with the same weight dims may want different bytes.
            let w = format_desc.wino_desc
            key += [Int64(w.wino_format.rawValue), Int64(w.r), Int64(w.alpha), Int64(w.ic), Int64(w.oc),
                    Int64(w.ic_block), Int64(w.oc_block), Int64(w.ic2_block), Int64(w.oc2_block),
                    Int64(w.adj_scale.bitPattern), Int64(w.size)]
        }
        return key
    }

    /// The same layout family (plain, channels-last or channel-blocked) for other dims,
    /// e.g. `nChw16c` of a gradient for the smaller source of an upsampling. Falls back
    /// to plain when the layout is none of the common activation formats.
    func sameFormat(dims newDims: [Int]) throws -> dnnl_memory_desc_t {
        let mine = logicalDims
        let candidates: [dnnl_format_tag_t] = mine.count == 4
            ? [dnnl_abcd, dnnl_aBcd16b, dnnl_aBcd8b, dnnl_acdb, dnnl_aBcd4b]
            : [dnnl_memory_desc_t.plainTag(rank: mine.count)]
        for tag in candidates where try dnnl_memory_desc_t.make(mine, tag).isSameLayout(as: self) {
            return try .make(newDims, tag)
        }
        return try .plain(newDims)
    }

    /// The same bytes seen with other dims of equal element order (e.g. `[N, C, 1, 1]`
    /// plain as `[N, C]` plain).
    func reshaped(_ newDims: [Int]) throws -> dnnl_memory_desc_t {
        var out = dnnl_memory_desc_t()
        var input = self
        let dims64 = newDims.map(Int64.init)
        try dnnlCall("dnnl_memory_desc_reshape") {
            dnnl_memory_desc_reshape(&out, &input, Int32(newDims.count), dims64)
        }
        return out
    }
}
