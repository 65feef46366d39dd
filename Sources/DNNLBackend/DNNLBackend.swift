import CDNNL
import CWinogradKernels
import Engine

/// The oneDNN (DNNL 2.6) implementation of `Backend`: the fast CPU path.
///
/// - Activations live in `DNNLStorage`, in whatever layout the producing primitive chose
///   (usually `nChw16c`); they are reordered only by `upload`/`download` and where a
///   primitive wants another layout for an input.
/// - Primitives are built once per op, shape and layout and cached in `primitives`.
/// - Weights arrive as PyTorch-layout `HostTensor`s and are reordered into the layout each
///   primitive asks for, cached until the host array changes (`WeightCache`); weight
///   gradients are reordered back to PyTorch's layout.
/// - Every primitive runs with a user scratchpad from one shared arena.
///
/// Not thread-safe: call it from one thread (or one task at a time), which also keeps
/// OpenMP to a single worker pool.
public final class DNNLBackend: Backend {
    public let name = "oneDNN"
    /// Whether this CPU runs AVX2 and FMA: MammoSeg's own kernels (Winograd transforms, thin
    /// convolutions) take their C versions then, asked once for both.
    static let cpuHasAVX2FMA = mammoseg_cpu_has_avx2_fma() != 0
    /// OpenMP threads the primitives were built for.
    public let threads: Int

    let engine: dnnl_engine_t
    let stream: dnnl_stream_t
    /// Attributes for every primitive: user-managed scratchpad.
    let attributes: dnnl_primitive_attr_t
    let pool = BufferPool()
    let scratchpad = Scratchpad()
    let weights = WeightCache()
    var primitives: [PrimitiveKey: Primitive] = [:]
    /// When fused inference runs MammoSeg's own Winograd (`MAMMOSEG_WINOGRAD`, see `WinogradMode`).
    public var winogradMode = WinogradMode.fromEnvironment()
    /// Fewest channels in and out for that path (lowered by tests to cover odd channel counts).
    var winogradMinimumChannels = WinogradMode.minimumChannelsFromEnvironment() ?? DNNLBackend.defaultWinogradMinimumChannels

    /// - Parameter threads: OpenMP threads for every primitive (default: `OMP_NUM_THREADS`
    ///   or all cores). oneDNN reads the count when a primitive is created, so it is set
    ///   here, before any is.
    public init(threads: Int? = nil) throws {
        if let threads {
            guard threads >= 1 else {
                throw EngineError.invalidArgument("oneDNN backend: threads must be at least 1, got \(threads)")
            }
            omp_set_num_threads(Int32(threads))
        }
        self.threads = Int(omp_get_max_threads())

        var engine: dnnl_engine_t?
        try dnnlCall("dnnl_engine_create") { dnnl_engine_create(&engine, dnnl_cpu, 0) }
        var stream: dnnl_stream_t?
        do {
            try dnnlCall("dnnl_stream_create") { dnnl_stream_create(&stream, engine, dnnl_stream_default_flags.rawValue) }
        } catch {
            dnnl_engine_destroy(engine)
            throw error
        }
        var attributes: dnnl_primitive_attr_t?
        do {
            try dnnlCall("dnnl_primitive_attr_create") { dnnl_primitive_attr_create(&attributes) }
            try dnnlCall("dnnl_primitive_attr_set_scratchpad_mode") {
                dnnl_primitive_attr_set_scratchpad_mode(attributes, dnnl_scratchpad_mode_user)
            }
        } catch {
            dnnl_primitive_attr_destroy(attributes)
            dnnl_stream_destroy(stream)
            dnnl_engine_destroy(engine)
            throw error
        }
        self.engine = engine!
        self.stream = stream!
        self.attributes = attributes!
    }

    deinit {
        weights.removeAll()
        primitives.removeAll()
        dnnl_primitive_attr_destroy(attributes)
        dnnl_stream_destroy(stream)
        dnnl_engine_destroy(engine)
    }

    // MARK: Edges

    public func upload(_ host: HostTensor) throws -> Tensor {
        guard host.shape.count == 2 || host.shape.count == 4, host.shape.allSatisfy({ $0 > 0 }) else {
            throw EngineError.invalidArgument("upload: shape \(host.shape) is not [N, C, H, W] or [N, F] with positive sizes")
        }
        let desc = try dnnl_memory_desc_t.plain(host.shape)
        let storage = allocate(desc)
        host.scalars.withUnsafeBytes { storage.data.copyMemory(from: $0.baseAddress!, byteCount: $0.count) }
        return tensor(storage)
    }

    public func download(_ tensor: Tensor) throws -> HostTensor {
        let storage = try storage(of: tensor, "download")
        return try hostTensor(storage, shape: tensor.shape)
    }
}
