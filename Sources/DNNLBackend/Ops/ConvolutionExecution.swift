import CDNNL
import Engine

/// Forward and backward passes shared by `conv2d` and `convTranspose2d` (oneDNN's
/// convolution and deconvolution primitives take the same arguments).
extension DNNLBackend {
    /// The forward primitive for `spec` and its algorithm: the first candidate oneDNN
    /// implements (Winograd before direct where it applies).
    func convolutionForward(_ spec: ConvolutionSpec) throws -> (Primitive, dnnl_alg_kind_t) {
        var lastError: Error?
        for algorithm in spec.candidateAlgorithms {
            do {
                let forward = try primitive(spec.key("fwd", algorithm)) {
                    var desc = try spec.forwardDesc(algorithm)
                    return spec.fusedReLU ? try makePrimitive(&desc, attributes: reluPostOpAttributes())
                                          : try makePrimitive(&desc)
                }
                if isTooHungry(forward, algorithm) { continue }
                return (forward, algorithm)
            } catch {
                lastError = error
            }
        }
        throw lastError ?? EngineError.invalidArgument("convolution: no oneDNN algorithm for \(spec.input) and weight \(spec.weightShape)")
    }

    /// A backward primitive (`build` makes its op descriptor), with the forward primitive of
    /// the same algorithm as hint; falls back to direct when Winograd has no backward here.
    func convolutionBackward(_ spec: ConvolutionSpec, pass: String,
                             _ build: (dnnl_alg_kind_t) throws -> dnnl_convolution_desc_t) throws -> Primitive {
        var lastError: Error?
        for algorithm in spec.candidateAlgorithms {
            do {
                let backward = try primitive(spec.key(pass, algorithm)) {
                    let hint = try primitive(spec.key("fwd", algorithm)) {
                        var desc = try spec.forwardDesc(algorithm)
                        return try makePrimitive(&desc)
                    }
                    var desc = try build(algorithm)
                    return try makePrimitive(&desc, hint: hint)
                }
                if isTooHungry(backward, algorithm) { continue }
                return backward
            } catch {
                lastError = error
            }
        }
        throw lastError ?? EngineError.invalidArgument("convolution: no oneDNN algorithm for \(spec.input) and weight \(spec.weightShape)")
    }

    /// Winograd's scratchpad holds the transformed tiles (and weights) of a whole batch; in
    /// dilated-resize at 640², width 1.0 one layer asked for 150 MB, more than its speed is
    /// worth in peak memory, so such layers use direct.
    static let winogradScratchpadLimit = 96 << 20

    private func isTooHungry(_ primitive: Primitive, _ algorithm: dnnl_alg_kind_t) -> Bool {
        algorithm == dnnl_convolution_winograd
            && primitive.memory(dnnl_query_scratchpad_md).byteCount > Self.winogradScratchpadLimit
    }

    func runConvolutionForward(_ spec: ConvolutionSpec, _ x: Tensor, weight: HostTensor,
                               bias: HostTensor?, op: String) throws -> Tensor {
        let (forward, _) = try convolutionForward(spec)
        let weightStorage = try cachedWeight(weight, as: spec.userWeightDesc(), to: forward.memory(dnnl_query_weights_md))
        let biasStorage = try bias.map {
            try cachedWeight($0, as: .plain($0.shape), to: forward.memory(dnnl_query_weights_md, index: 1))
        }
        return try runConvolutionForward(forward, x, weight: weightStorage, bias: biasStorage, op: op)
    }

    /// Runs a forward primitive on weights already in its layouts.
    func runConvolutionForward(_ forward: Primitive, _ x: Tensor, weight: DNNLStorage, bias: DNNLStorage?,
                               op: String) throws -> Tensor {
        let input = try storage(of: x, op)
        var arguments = [
            Argument(DNNL_ARG_SRC, try converted(input, to: forward.memory(dnnl_query_src_md))),
            Argument(DNNL_ARG_WEIGHTS, weight),
        ]
        if let bias { arguments.append(Argument(DNNL_ARG_BIAS, bias)) }
        let y = allocate(forward.memory(dnnl_query_dst_md))
        arguments.append(Argument(DNNL_ARG_DST, y))
        try execute(forward, arguments)
        return tensor(y)
    }

    func runConvolutionBackward(_ spec: ConvolutionSpec, _ dy: Tensor, x: Tensor, weight: HostTensor,
                                needInputGradient: Bool, op: String)
        throws -> (dx: Tensor?, dWeight: HostTensor, dBias: HostTensor?) {
        guard dy.shape == spec.output else {
            throw EngineError.shapeMismatch("\(op): output gradient \(dy.shape) differs from the output \(spec.output)")
        }
        guard weight.shape == spec.weightShape else {
            throw EngineError.shapeMismatch("\(op): weight \(weight.shape) differs from \(spec.weightShape)")
        }
        let outputGradient = try storage(of: dy, op)
        let input = try storage(of: x, op)

        var dx: Tensor?
        if needInputGradient {
            let backwardData = try convolutionBackward(spec, pass: "bwd_data", spec.backwardDataDesc)
            let diffSrc = allocate(backwardData.memory(dnnl_query_diff_src_md))
            try execute(backwardData, [
                Argument(DNNL_ARG_WEIGHTS, try cachedWeight(weight, as: spec.userWeightDesc(),
                                                            to: backwardData.memory(dnnl_query_weights_md),
                                                            lastUse: true)),
                Argument(DNNL_ARG_DIFF_DST, try converted(outputGradient, to: backwardData.memory(dnnl_query_diff_dst_md))),
                Argument(DNNL_ARG_DIFF_SRC, diffSrc),
            ])
            dx = tensor(diffSrc)
        }

        let backwardWeights = try convolutionBackward(spec, pass: "bwd_weights", spec.backwardWeightsDesc)
        let diffWeights = allocate(backwardWeights.memory(dnnl_query_diff_weights_md))
        var arguments = [
            Argument(DNNL_ARG_SRC, try converted(input, to: backwardWeights.memory(dnnl_query_src_md))),
            Argument(DNNL_ARG_DIFF_DST, try converted(outputGradient, to: backwardWeights.memory(dnnl_query_diff_dst_md))),
            Argument(DNNL_ARG_DIFF_WEIGHTS, diffWeights),
        ]
        var diffBias: DNNLStorage?
        if spec.hasBias {
            let storage = allocate(backwardWeights.memory(dnnl_query_diff_weights_md, index: 1))
            arguments.append(Argument(DNNL_ARG_DIFF_BIAS, storage))
            diffBias = storage
        }
        try execute(backwardWeights, arguments)

        let dWeight = try hostTensor(diffWeights, as: spec.userWeightDesc(), shape: spec.weightShape)
        let dBias = try diffBias.map { try hostTensor($0, shape: [spec.weightDims[0]]) }
        return (dx, dWeight, dBias)
    }

    /// A weight and bias derived from `sources` (batch norm folded in, kernel flipped, …) in
    /// `forward`'s layouts. `derive` (PyTorch layouts, the weight shaped as `spec`'s) runs only
    /// when the weight cache has no conversion of these sources under `kind` for this layout.
    func derivedWeights(for forward: Primitive, _ spec: ConvolutionSpec, sources: [[Float]], kind: String,
                        _ derive: () -> (weight: HostTensor, bias: HostTensor?)) throws
        -> (weight: DNNLStorage, bias: DNNLStorage?) {
        let weightDesc = forward.memory(dnnl_query_weights_md), biasDesc = forward.memory(dnnl_query_weights_md, index: 1)
        let values = try weights.values(for: sources, layout: PrimitiveKey(kind, weightDesc.layoutKey)) {
            let (weight, bias) = derive()
            return [try converted(weight, as: spec.userWeightDesc(), to: weightDesc)]
                + (try bias.map { [try converted($0, to: biasDesc)] } ?? [])
        }
        return (values[0], values.count > 1 ? values[1] : nil)
    }

    /// `host` (laid out as `user`) in layout `desc`, from the weight cache when unchanged.
    func cachedWeight(_ host: HostTensor, as user: dnnl_memory_desc_t, to desc: dnnl_memory_desc_t,
                      lastUse: Bool = false) throws -> DNNLStorage {
        try weights.values(for: [host.scalars], layout: PrimitiveKey("weight", user.layoutKey, desc.layoutKey),
                           lastUse: lastUse) {
            [try converted(host, as: user, to: desc)]
        }[0]
    }
}
