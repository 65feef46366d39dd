import CDNNL
import Engine

/// One execution argument: which slot (`DNNL_ARG_SRC`, …), the layout, and the bytes.
struct Argument {
    let slot: Int32
    let desc: dnnl_memory_desc_t
    let data: UnsafeMutableRawPointer
    /// Keeps the owning storage alive until the primitive has run.
    let owner: AnyObject?

    init(_ slot: Int32, _ storage: DNNLStorage) {
        self.init(slot, storage.desc, storage.data, owner: storage)
    }

    init(_ slot: Int32, _ desc: dnnl_memory_desc_t, _ data: UnsafeMutableRawPointer, owner: AnyObject? = nil) {
        self.slot = slot; self.desc = desc; self.data = data; self.owner = owner
    }
}

extension DNNLBackend {
    /// Returns the cached primitive for `key`, building it with `make` on first use.
    func primitive(_ key: PrimitiveKey, _ make: () throws -> Primitive) throws -> Primitive {
        if let cached = primitives[key] { return cached }
        let made = try make()
        primitives[key] = made
        return made
    }

    /// Builds a primitive from an op descriptor struct (passed by pointer: they are kilobytes),
    /// with the backend's attributes (user scratchpad) unless others are given.
    func makePrimitive<Desc>(_ opDesc: inout Desc, hint: Primitive? = nil,
                             attributes: PrimitiveAttributes? = nil) throws -> Primitive {
        try withUnsafePointer(to: &opDesc) { pointer in
            try Primitive(opDesc: UnsafeRawPointer(pointer), attr: attributes?.attributes ?? self.attributes,
                          engine: engine, hint: hint)
        }
    }

    /// The backend's attributes plus a ReLU eltwise post-op (for fused inference convolutions).
    func reluPostOpAttributes() throws -> PrimitiveAttributes {
        let result = try PrimitiveAttributes(cloning: attributes)
        var postOps: dnnl_post_ops_t?
        try dnnlCall("dnnl_post_ops_create") { dnnl_post_ops_create(&postOps) }
        defer { dnnl_post_ops_destroy(postOps) }
        try dnnlCall("dnnl_post_ops_append_eltwise") { dnnl_post_ops_append_eltwise(postOps, 1, dnnl_eltwise_relu, 0, 0) }
        try dnnlCall("dnnl_primitive_attr_set_post_ops") { dnnl_primitive_attr_set_post_ops(result.attributes, postOps) }
        return result
    }

    /// Like `makePrimitive`, but `nil` when oneDNN has no implementation (used to try a
    /// faster algorithm first, e.g. Winograd).
    func makePrimitiveIfImplemented<Desc>(_ opDesc: inout Desc, hint: Primitive? = nil) -> Primitive? {
        try? makePrimitive(&opDesc, hint: hint)
    }

    /// Runs `primitive` on `arguments` plus the shared scratchpad and waits for it.
    func execute(_ primitive: Primitive, _ arguments: [Argument]) throws {
        var arguments = arguments
        let scratchDesc = primitive.memory(dnnl_query_scratchpad_md)
        let scratchBytes = scratchDesc.byteCount
        if scratchBytes > 0 {
            arguments.append(Argument(DNNL_ARG_SCRATCHPAD, scratchDesc, scratchpad.buffer(byteCount: scratchBytes)))
        }
        var memories: [dnnl_exec_arg_t] = []
        memories.reserveCapacity(arguments.count)
        defer { for arg in memories { dnnl_memory_destroy(arg.memory) } }
        for argument in arguments {
            var memory: dnnl_memory_t?
            var desc = argument.desc
            try dnnlCall("dnnl_memory_create") { dnnl_memory_create(&memory, &desc, engine, argument.data) }
            memories.append(dnnl_exec_arg_t(arg: argument.slot, memory: memory))
        }
        try dnnlCall("dnnl_primitive_execute") {
            dnnl_primitive_execute(primitive.primitive, stream, Int32(memories.count), memories)
        }
        try dnnlCall("dnnl_stream_wait") { dnnl_stream_wait(stream) }
        withExtendedLifetime(arguments) {}
    }

    /// A fresh (pooled) buffer for `desc`.
    func allocate(_ desc: dnnl_memory_desc_t) -> DNNLStorage {
        DNNLStorage(desc: desc, pool: pool)
    }

    /// Copies the elements laid out as `source` into `destination`'s layout (a cached reorder primitive).
    func reorder(from source: dnnl_memory_desc_t, _ sourceData: UnsafeMutableRawPointer,
                 to destination: dnnl_memory_desc_t, _ destinationData: UnsafeMutableRawPointer) throws {
        let key = PrimitiveKey("reorder", source.layoutKey, destination.layoutKey)
        let reorder = try primitive(key) {
            var pd: dnnl_primitive_desc_t?
            var src = source, dst = destination
            try dnnlCall("dnnl_reorder_primitive_desc_create") {
                dnnl_reorder_primitive_desc_create(&pd, &src, engine, &dst, engine, attributes)
            }
            return try Primitive(descriptor: pd!)
        }
        try execute(reorder, [Argument(DNNL_ARG_FROM, source, sourceData),
                              Argument(DNNL_ARG_TO, destination, destinationData)])
    }

    /// `storage` itself when it already has layout `desc`, else a reordered copy.
    func converted(_ storage: DNNLStorage, to desc: dnnl_memory_desc_t) throws -> DNNLStorage {
        if storage.desc.isSameLayout(as: desc) { return storage }
        let result = allocate(desc)
        try reorder(from: storage.desc, storage.data, to: desc, result.data)
        return result
    }

    /// A host array whose bytes are laid out as `user` (PyTorch's layout) copied into layout `desc`.
    ///
    /// Same layout (bias and batch-norm vectors, plain inputs): a `memcpy`. A reorder
    /// primitive would also work but opens an OpenMP parallel region, which for a few
    /// hundred bytes costs milliseconds when the cores are busy.
    func converted(_ host: HostTensor, as user: dnnl_memory_desc_t, to desc: dnnl_memory_desc_t) throws -> DNNLStorage {
        let result = allocate(desc)
        try host.scalars.withUnsafeBytes { bytes in
            if user.isSameLayout(as: desc) {
                result.data.copyMemory(from: bytes.baseAddress!, byteCount: bytes.count)
            } else {
                // The reorder only reads its source; oneDNN's memory API just wants a mutable pointer.
                try reorder(from: user, UnsafeMutableRawPointer(mutating: bytes.baseAddress!), to: desc, result.data)
            }
        }
        return result
    }

    /// A plain (row-major) host array copied into layout `desc`.
    func converted(_ host: HostTensor, to desc: dnnl_memory_desc_t) throws -> DNNLStorage {
        try converted(host, as: .plain(host.shape), to: desc)
    }

    /// The elements of `storage` as a host array of `shape`, laid out as `user` describes.
    func hostTensor(_ storage: DNNLStorage, as user: dnnl_memory_desc_t, shape: [Int]) throws -> HostTensor {
        var scalars = [Float](repeating: 0, count: shape.reduce(1, *))
        try scalars.withUnsafeMutableBytes { bytes in
            if storage.desc.isSameLayout(as: user) {
                bytes.baseAddress!.copyMemory(from: storage.data, byteCount: bytes.count)  // see `converted`
            } else {
                try reorder(from: storage.desc, storage.data, to: user, bytes.baseAddress!)
            }
        }
        return HostTensor(shape: shape, scalars: scalars)
    }

    /// The elements of `storage` as a plain (row-major) host array of `shape`.
    func hostTensor(_ storage: DNNLStorage, shape: [Int]) throws -> HostTensor {
        try hostTensor(storage, as: .plain(shape), shape: shape)
    }

    /// The storage of a tensor this backend made.
    func storage(of tensor: Tensor, _ op: String) throws -> DNNLStorage {
        guard let storage = tensor.storage as? DNNLStorage else {
            throw EngineError.invalidArgument("\(op): tensor was not made by the oneDNN backend; upload it first")
        }
        return storage
    }

    func tensor(_ storage: DNNLStorage) -> Tensor {
        Tensor(shape: storage.desc.logicalDims, storage: storage)
    }
}
