extension ReferenceBackend {
    /// y[n,o] = b[o] + Σ_f x[n,f]·w[o,f]
    public func linear(_ x: Tensor, weight: HostTensor, bias: HostTensor) throws -> Tensor {
        guard x.shape.count == 2, weight.shape.count == 2, x.shape[1] == weight.shape[1], bias.count == weight.shape[0] else {
            throw EngineError.shapeMismatch("linear: input \(x.shape) vs weight \(weight.shape)")
        }
        let (n, f, o) = (x.shape[0], x.shape[1], weight.shape[0])
        let xd = data(x)
        var y = [Float](repeating: 0, count: n * o)
        for b in 0..<n { for k in 0..<o {
            var sum = bias.scalars[k]
            for i in 0..<f { sum += xd[b * f + i] * weight.scalars[k * f + i] }
            y[b * o + k] = sum
        } }
        return make([n, o], y)
    }

    public func linearBackward(_ dy: Tensor, x: Tensor, weight: HostTensor,
                               needInputGradient: Bool) throws -> (dx: Tensor?, dWeight: HostTensor, dBias: HostTensor) {
        let (n, f, o) = (x.shape[0], x.shape[1], weight.shape[0])
        let xd = data(x), dyd = data(dy)
        var dw = [Float](repeating: 0, count: o * f), db = [Float](repeating: 0, count: o)
        var dx = [Float](repeating: 0, count: n * f)
        for b in 0..<n { for k in 0..<o {
            let g = dyd[b * o + k]
            db[k] += g
            for i in 0..<f {
                dw[k * f + i] += g * xd[b * f + i]
                dx[b * f + i] += g * weight.scalars[k * f + i]
            }
        } }
        return (needInputGradient ? make(x.shape, dx) : nil, HostTensor(shape: weight.shape, scalars: dw),
                HostTensor(shape: [o], scalars: db))
    }
}
