extension ReferenceBackend {
    public func relu(_ x: Tensor) throws -> Tensor {
        make(x.shape, data(x).map { max(0, $0) })
    }

    public func reluBackward(_ dy: Tensor, y: Tensor) throws -> Tensor {
        let yd = data(y)
        var g = data(dy)
        for k in 0..<g.count where yd[k] <= 0 { g[k] = 0 }
        return make(dy.shape, g)
    }

    public func add(_ a: Tensor, _ b: Tensor) throws -> Tensor {
        guard a.shape == b.shape else { throw EngineError.shapeMismatch("add: \(a.shape) + \(b.shape)") }
        let ad = data(a), bd = data(b)
        return make(a.shape, (0..<ad.count).map { ad[$0] + bd[$0] })
    }

    /// y[n,c,i,j] = x[n,c,i/f,j/f].
    public func resizeNearest(_ x: Tensor, factor f: Int) throws -> Tensor {
        guard x.shape.count == 4, f >= 1 else { throw EngineError.invalidArgument("resizeNearest: factor \(f) on \(x.shape)") }
        let (n, c, h, w) = nchw(x.shape)
        let xd = data(x)
        var y = [Float](repeating: 0, count: n * c * h * f * w * f)
        for plane in 0..<(n * c) { for i in 0..<(h * f) { for j in 0..<(w * f) {
            y[plane * h * f * w * f + i * w * f + j] = xd[plane * h * w + (i / f) * w + j / f]
        } } }
        return make([n, c, h * f, w * f], y)
    }

    public func resizeNearestBackward(_ dy: Tensor, factor f: Int) throws -> Tensor {
        let (n, c, hf, wf) = nchw(dy.shape)
        let (h, w) = (hf / f, wf / f)
        let dyd = data(dy)
        var dx = [Float](repeating: 0, count: n * c * h * w)
        for plane in 0..<(n * c) { for i in 0..<hf { for j in 0..<wf {
            dx[plane * h * w + (i / f) * w + j / f] += dyd[plane * hf * wf + i * wf + j]
        } } }
        return make([n, c, h, w], dx)
    }
}
