/// Differentiable ops: each runs the backend's forward and, when training and something
/// upstream needs a gradient, records a pullback that calls the backend's backward.
/// Parameter gradients accumulate into `Parameter.gradient` (host, PyTorch layout).
public enum Op {
    static func needsGradient(_ inputs: [Variable], _ parameters: [Parameter?]) -> Bool {
        inputs.contains { $0.requiresGradient } || parameters.contains { $0?.isTrainable == true }
    }

    /// The variable an op returns, with its pullback recorded when it needs one.
    static func output(_ value: Tensor, _ ctx: Context, inputs: [Variable], parameters: [Parameter?] = [],
                       pullback: @escaping (Tensor) throws -> Void) -> Variable {
        guard let tape = ctx.tape, needsGradient(inputs, parameters) else { return Variable(value) }
        let out = Variable(value, requiresGradient: true)
        tape.record {
            // The gradient is consumed here; dropping it frees its buffer for the next op.
            if let g = out.takeGradient() { try pullback(g) }
        }
        return out
    }

    public static func conv2d(_ x: Variable, weight: Parameter, bias: Parameter?, geometry: ConvGeometry,
                              _ ctx: Context) throws -> Variable {
        let b = ctx.backend
        let y = try b.conv2d(x.value, weight: weight.value, bias: bias?.value, geometry: geometry)
        return output(y, ctx, inputs: [x], parameters: [weight, bias]) { dy in
            let g = try b.conv2dBackward(dy, x: x.value, weight: weight.value, hasBias: bias != nil, geometry: geometry,
                                         needInputGradient: x.requiresGradient)
            if weight.isTrainable { weight.accumulateGradient(g.dWeight) }
            if let bias, bias.isTrainable, let db = g.dBias { bias.accumulateGradient(db) }
            if let dx = g.dx { try x.accumulate(dx, b) }
        }
    }

    public static func convTranspose2d(_ x: Variable, weight: Parameter, bias: Parameter?, geometry: ConvGeometry,
                                       _ ctx: Context) throws -> Variable {
        let b = ctx.backend
        let y = try b.convTranspose2d(x.value, weight: weight.value, bias: bias?.value, geometry: geometry)
        return output(y, ctx, inputs: [x], parameters: [weight, bias]) { dy in
            let g = try b.convTranspose2dBackward(dy, x: x.value, weight: weight.value, hasBias: bias != nil,
                                                  geometry: geometry, needInputGradient: x.requiresGradient)
            if weight.isTrainable { weight.accumulateGradient(g.dWeight) }
            if let bias, bias.isTrainable, let db = g.dBias { bias.accumulateGradient(db) }
            if let dx = g.dx { try x.accumulate(dx, b) }
        }
    }

    public static func relu(_ x: Variable, _ ctx: Context) throws -> Variable {
        let b = ctx.backend
        let y = try b.relu(x.value)
        return output(y, ctx, inputs: [x]) { dy in try x.accumulate(try b.reluBackward(dy, y: y), b) }
    }

    public static func maxPool2x2(_ x: Variable, _ ctx: Context) throws -> Variable {
        let b = ctx.backend
        let (y, saved) = try b.maxPool2x2(x.value)
        return output(y, ctx, inputs: [x]) { dy in
            try x.accumulate(try b.maxPool2x2Backward(dy, x: x.value, saved: saved), b)
        }
    }

    public static func resizeNearest(_ x: Variable, factor: Int, _ ctx: Context) throws -> Variable {
        let b = ctx.backend
        let y = try b.resizeNearest(x.value, factor: factor)
        return output(y, ctx, inputs: [x]) { dy in
            try x.accumulate(try b.resizeNearestBackward(dy, factor: factor), b)
        }
    }

    public static func add(_ a: Variable, _ c: Variable, _ ctx: Context) throws -> Variable {
        let b = ctx.backend
        let y = try b.add(a.value, c.value)
        return output(y, ctx, inputs: [a, c]) { dy in
            if a.requiresGradient { try a.accumulate(dy, b) }
            if c.requiresGradient { try c.accumulate(dy, b) }
        }
    }

    public static func globalAveragePool(_ x: Variable, _ ctx: Context) throws -> Variable {
        let b = ctx.backend
        let y = try b.globalAveragePool(x.value)
        return output(y, ctx, inputs: [x]) { dy in
            try x.accumulate(try b.globalAveragePoolBackward(dy, inputShape: x.shape), b)
        }
    }

    public static func linear(_ x: Variable, weight: Parameter, bias: Parameter, _ ctx: Context) throws -> Variable {
        let b = ctx.backend
        let y = try b.linear(x.value, weight: weight.value, bias: bias.value)
        return output(y, ctx, inputs: [x], parameters: [weight, bias]) { dy in
            let g = try b.linearBackward(dy, x: x.value, weight: weight.value, needInputGradient: x.requiresGradient)
            if weight.isTrainable { weight.accumulateGradient(g.dWeight) }
            if bias.isTrainable { bias.accumulateGradient(g.dBias) }
            if let dx = g.dx { try x.accumulate(dx, b) }
        }
    }

    /// The study's weighted cross-entropy; in training it also runs the whole backward
    /// pass (seeding d loss / d logits). Returns the loss value.
    @discardableResult
    public static func weightedCrossEntropyBackward(_ logits: Variable, labels: [UInt8], positiveWeight: Float,
                                                    _ ctx: Context) throws -> Float {
        let (loss, dLogits) = try ctx.backend.weightedCrossEntropy(logits.value, labels: labels, positiveWeight: positiveWeight)
        if let tape = ctx.tape, logits.requiresGradient {
            try tape.backward(from: logits, seed: dLogits, backend: ctx.backend)
        }
        return loss
    }
}
