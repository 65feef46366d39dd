/// Convolution as one index relation, used three ways:
///   input row ih = oh·stride − padding + kh·dilation   (likewise for columns)
/// forward: y[n,o,oh,ow] = b[o] + Σ_{c,kh,kw} x[n,c,ih,iw]·w[o,c,kh,kw]
/// backward data: dx[n,c,ih,iw] = Σ dy[n,o,oh,ow]·w[o,c,kh,kw]
/// backward weights: dw[o,c,kh,kw] = Σ x[n,c,ih,iw]·dy[n,o,oh,ow]
/// A transposed convolution with weight `[Cin, Cout, kh, kw]` is the backward-data pass of the
/// convolution whose weight `[O = Cin, I = Cout, kh, kw]` is the same array.
extension ReferenceBackend {
    /// Calls `body(ih, iw, oh, ow, kh, kw)` for every in-bounds tap of the convolution relation.
    @inline(__always)
    func forEachTap(_ g: ConvGeometry, inH: Int, inW: Int, outH: Int, outW: Int,
                    _ body: (Int, Int, Int, Int, Int, Int) -> Void) {
        for oh in 0..<outH {
            for kh in 0..<g.kernelH {
                let ih = oh * g.stride - g.padding + kh * g.dilation
                if ih < 0 || ih >= inH { continue }
                for ow in 0..<outW {
                    for kw in 0..<g.kernelW {
                        let iw = ow * g.stride - g.padding + kw * g.dilation
                        if iw < 0 || iw >= inW { continue }
                        body(ih, iw, oh, ow, kh, kw)
                    }
                }
            }
        }
    }

    /// y `[N, O, outH, outW]` of x `[N, C, inH, inW]` and w `[O, C, kh, kw]`.
    func convolutionForward(_ x: [Float], _ xs: [Int], _ w: [Float], _ ws: [Int], _ g: ConvGeometry,
                            outH: Int, outW: Int) -> [Float] {
        let (n, c, inH, inW) = (xs[0], xs[1], xs[2], xs[3])
        let o = ws[0]
        var y = [Float](repeating: 0, count: n * o * outH * outW)
        for b in 0..<n { for oc in 0..<o { for ic in 0..<c {
            let xBase = (b * c + ic) * inH * inW, yBase = (b * o + oc) * outH * outW
            let wBase = (oc * c + ic) * g.kernelH * g.kernelW
            forEachTap(g, inH: inH, inW: inW, outH: outH, outW: outW) { ih, iw, oh, ow, kh, kw in
                y[yBase + oh * outW + ow] += x[xBase + ih * inW + iw] * w[wBase + kh * g.kernelW + kw]
            }
        } } }
        return y
    }

    /// dx `[N, C, inH, inW]` of dy `[N, O, outH, outW]` and w `[O, C, kh, kw]`.
    func convolutionBackwardData(_ dy: [Float], _ dys: [Int], _ w: [Float], _ ws: [Int], _ g: ConvGeometry,
                                 inH: Int, inW: Int) -> [Float] {
        let (n, o, outH, outW) = (dys[0], dys[1], dys[2], dys[3])
        let c = ws[1]
        var dx = [Float](repeating: 0, count: n * c * inH * inW)
        for b in 0..<n { for oc in 0..<o { for ic in 0..<c {
            let xBase = (b * c + ic) * inH * inW, yBase = (b * o + oc) * outH * outW
            let wBase = (oc * c + ic) * g.kernelH * g.kernelW
            forEachTap(g, inH: inH, inW: inW, outH: outH, outW: outW) { ih, iw, oh, ow, kh, kw in
                dx[xBase + ih * inW + iw] += dy[yBase + oh * outW + ow] * w[wBase + kh * g.kernelW + kw]
            }
        } } }
        return dx
    }

    /// dw `[O, C, kh, kw]` of x `[N, C, inH, inW]` and dy `[N, O, outH, outW]`.
    func convolutionBackwardWeights(_ x: [Float], _ xs: [Int], _ dy: [Float], _ dys: [Int],
                                    _ g: ConvGeometry) -> [Float] {
        let (n, c, inH, inW) = (xs[0], xs[1], xs[2], xs[3])
        let (o, outH, outW) = (dys[1], dys[2], dys[3])
        var dw = [Float](repeating: 0, count: o * c * g.kernelH * g.kernelW)
        for b in 0..<n { for oc in 0..<o { for ic in 0..<c {
            let xBase = (b * c + ic) * inH * inW, yBase = (b * o + oc) * outH * outW
            let wBase = (oc * c + ic) * g.kernelH * g.kernelW
            forEachTap(g, inH: inH, inW: inW, outH: outH, outW: outW) { ih, iw, oh, ow, kh, kw in
                dw[wBase + kh * g.kernelW + kw] += x[xBase + ih * inW + iw] * dy[yBase + oh * outW + ow]
            }
        } } }
        return dw
    }

    /// Adds bias[c] to every pixel of channel c, in place.
    func addChannelBias(_ y: inout [Float], _ shape: [Int], _ bias: HostTensor) {
        let (n, c, h, w) = nchw(shape)
        for b in 0..<n { for ch in 0..<c {
            let base = (b * c + ch) * h * w
            for i in 0..<(h * w) { y[base + i] += bias.scalars[ch] }
        } }
    }

    /// Σ over N, H, W per channel.
    func channelSums(_ dy: [Float], _ shape: [Int]) -> HostTensor {
        let (n, c, h, w) = nchw(shape)
        var sums = [Float](repeating: 0, count: c)
        for b in 0..<n { for ch in 0..<c {
            let base = (b * c + ch) * h * w
            for i in 0..<(h * w) { sums[ch] += dy[base + i] }
        } }
        return HostTensor(shape: [c], scalars: sums)
    }

    func checkConvolution(_ x: [Int], weightChannels: Int, _ weight: HostTensor, _ op: String) throws {
        guard x.count == 4, weight.shape.count == 4, x[1] == weightChannels else {
            throw EngineError.shapeMismatch("\(op): input \(x) does not fit weight \(weight.shape)")
        }
    }

    public func conv2d(_ x: Tensor, weight: HostTensor, bias: HostTensor?, geometry g: ConvGeometry) throws -> Tensor {
        try checkConvolution(x.shape, weightChannels: weight.shape[1], weight, "conv2d")
        let ys = g.convolutionShape(input: x.shape, outChannels: weight.shape[0])
        guard ys[2] > 0, ys[3] > 0 else { throw EngineError.shapeMismatch("conv2d: input \(x.shape) too small for \(g)") }
        var y = convolutionForward(data(x), x.shape, weight.scalars, weight.shape, g, outH: ys[2], outW: ys[3])
        if let bias { addChannelBias(&y, ys, bias) }
        return make(ys, y)
    }

    public func conv2dBackward(_ dy: Tensor, x: Tensor, weight: HostTensor, hasBias: Bool, geometry g: ConvGeometry,
                               needInputGradient: Bool) throws -> (dx: Tensor?, dWeight: HostTensor, dBias: HostTensor?) {
        let dyData = data(dy)
        let dx = needInputGradient
            ? make(x.shape, convolutionBackwardData(dyData, dy.shape, weight.scalars, weight.shape, g,
                                                    inH: x.shape[2], inW: x.shape[3]))
            : nil
        let dw = convolutionBackwardWeights(data(x), x.shape, dyData, dy.shape, g)
        return (dx, HostTensor(shape: weight.shape, scalars: dw), hasBias ? channelSums(dyData, dy.shape) : nil)
    }

    public func convTranspose2d(_ x: Tensor, weight: HostTensor, bias: HostTensor?, geometry g: ConvGeometry) throws -> Tensor {
        try checkConvolution(x.shape, weightChannels: weight.shape[0], weight, "convTranspose2d")
        let ys = g.transposedShape(input: x.shape, outChannels: weight.shape[1])
        guard ys[2] > 0, ys[3] > 0 else { throw EngineError.shapeMismatch("convTranspose2d: input \(x.shape) too small for \(g)") }
        var y = convolutionBackwardData(data(x), x.shape, weight.scalars, weight.shape, g, inH: ys[2], inW: ys[3])
        if let bias { addChannelBias(&y, ys, bias) }
        return make(ys, y)
    }

    public func convTranspose2dBackward(_ dy: Tensor, x: Tensor, weight: HostTensor, hasBias: Bool, geometry g: ConvGeometry,
                                        needInputGradient: Bool) throws -> (dx: Tensor?, dWeight: HostTensor, dBias: HostTensor?) {
        let dyData = data(dy)
        let dx = needInputGradient
            ? make(x.shape, convolutionForward(dyData, dy.shape, weight.scalars, weight.shape, g,
                                               outH: x.shape[2], outW: x.shape[3]))
            : nil
        // Roles swap: the transposed op's output plays the convolution's input.
        let dw = convolutionBackwardWeights(dyData, dy.shape, data(x), x.shape, g)
        return (dx, HostTensor(shape: weight.shape, scalars: dw), hasBias ? channelSums(dyData, dy.shape) : nil)
    }
}
