extension ReferenceBackend {
    /// The flat input index of each output's maximum (first maximum wins, as PyTorch).
    final class PoolArgmax { let indices: [Int]; init(_ i: [Int]) { indices = i } }

    public func maxPool2x2(_ x: Tensor) throws -> (y: Tensor, saved: SavedState) {
        let (n, c, h, w) = nchw(x.shape)
        guard x.shape.count == 4, h % 2 == 0, w % 2 == 0 else {
            throw EngineError.shapeMismatch("maxPool2x2 needs even height and width, got \(x.shape)")
        }
        let xd = data(x)
        let (oh, ow) = (h / 2, w / 2)
        var y = [Float](repeating: 0, count: n * c * oh * ow)
        var argmax = [Int](repeating: 0, count: y.count)
        for plane in 0..<(n * c) { for i in 0..<oh { for j in 0..<ow {
            var best = -Float.infinity, bestIndex = 0
            for di in 0..<2 { for dj in 0..<2 {
                let index = plane * h * w + (2 * i + di) * w + (2 * j + dj)
                if xd[index] > best { best = xd[index]; bestIndex = index }
            } }
            let o = plane * oh * ow + i * ow + j
            y[o] = best; argmax[o] = bestIndex
        } } }
        return (make([n, c, oh, ow], y), SavedState(PoolArgmax(argmax)))
    }

    public func maxPool2x2Backward(_ dy: Tensor, x: Tensor, saved: SavedState) throws -> Tensor {
        guard let argmax = saved.value as? PoolArgmax else {
            throw EngineError.invalidArgument("maxPool2x2Backward: saved state is not from this backend")
        }
        let dyd = data(dy)
        var dx = [Float](repeating: 0, count: x.count)
        for o in 0..<dyd.count { dx[argmax.indices[o]] += dyd[o] }
        return make(x.shape, dx)
    }

    public func globalAveragePool(_ x: Tensor) throws -> Tensor {
        let (n, c, h, w) = nchw(x.shape)
        let xd = data(x)
        var y = [Float](repeating: 0, count: n * c)
        for plane in 0..<(n * c) {
            var sum: Float = 0
            for i in 0..<(h * w) { sum += xd[plane * h * w + i] }
            y[plane] = sum / Float(h * w)
        }
        return make([n, c], y)
    }

    public func globalAveragePoolBackward(_ dy: Tensor, inputShape: [Int]) throws -> Tensor {
        let (n, c, h, w) = nchw(inputShape)
        let dyd = data(dy)
        var dx = [Float](repeating: 0, count: n * c * h * w)
        for plane in 0..<(n * c) {
            for i in 0..<(h * w) { dx[plane * h * w + i] = dyd[plane] / Float(h * w) }
        }
        return make(inputShape, dx)
    }
}
