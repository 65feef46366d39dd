/// The executable specification: every op as plain Swift loops over row-major NCHW
/// arrays, written for clarity, not speed. The oneDNN backend is tested against it.
public final class ReferenceBackend: Backend {
    public init() {}
    public var name: String { "reference" }

    final class Storage {
        var data: [Float]
        init(_ data: [Float]) { self.data = data }
    }

    func make(_ shape: [Int], _ data: [Float]) -> Tensor {
        precondition(shape.reduce(1, *) == data.count)
        return Tensor(shape: shape, storage: Storage(data))
    }

    func data(_ t: Tensor) -> [Float] {
        guard let storage = t.storage as? Storage else {
            preconditionFailure("ReferenceBackend was given a tensor made by another backend")
        }
        return storage.data
    }

    public func upload(_ host: HostTensor) throws -> Tensor {
        guard host.shape.count == 2 || host.shape.count == 4 else {
            throw EngineError.shapeMismatch("upload expects [N, F] or [N, C, H, W], got \(host.shape)")
        }
        return make(host.shape, host.scalars)
    }

    public func download(_ tensor: Tensor) throws -> HostTensor {
        HostTensor(shape: tensor.shape, scalars: data(tensor))
    }
}

/// `[N, C, H, W]` of a rank-4 shape, or `[N, F, 1, 1]` of a rank-2 one.
@inline(__always) func nchw(_ shape: [Int]) -> (n: Int, c: Int, h: Int, w: Int) {
    shape.count == 4 ? (shape[0], shape[1], shape[2], shape[3]) : (shape[0], shape[1], 1, 1)
}
