import CDNNL
import Engine

/// Everything that fixes a (transposed) convolution's primitives, and how to build them.
///
/// oneDNN's dims for the weight are always `{OC, IC, KH, KW}` of the primitive. A
/// convolution's PyTorch weight `[O, I, kh, kw]` is that in `oihw`; a transposed
/// convolution (oneDNN's deconvolution) has PyTorch weight `[I, O, kh, kw]`, which is the
/// same dims in `iohw`. oneDNN counts dilation from 0 (PyTorch's minus one).
struct ConvolutionSpec {
    enum Kind: Int64 { case convolution, deconvolution }

    let kind: Kind
    let input: [Int]
    let output: [Int]
    /// `{OC, IC, KH, KW}` of the primitive.
    let weightDims: [Int]
    /// The PyTorch weight's shape.
    let weightShape: [Int]
    let hasBias: Bool
    let geometry: ConvGeometry
    /// Inference with a ReLU post-op (`forward_inference`, no backward passes).
    let fusedReLU: Bool
    /// Activations channels-last whatever the channel count (see `isChannelsLast`).
    let forcesChannelsLast: Bool

    /// Checks shapes (throwing, never trapping) and derives the output shape.
    init(_ kind: Kind, input: [Int], weight: [Int], biasCount: Int?, geometry: ConvGeometry, op: String,
         fusedReLU: Bool = false, channelsLast: Bool = false) throws {
        guard input.count == 4, weight.count == 4 else {
            throw EngineError.shapeMismatch("\(op): input \(input) and weight \(weight) must both have rank 4")
        }
        guard geometry.stride >= 1, geometry.dilation >= 1, geometry.padding >= 0,
              geometry.kernelH == weight[2], geometry.kernelW == weight[3] else {
            throw EngineError.shapeMismatch("\(op): geometry \(geometry) does not fit weight \(weight)")
        }
        let inChannels = kind == .convolution ? weight[1] : weight[0]
        let outChannels = kind == .convolution ? weight[0] : weight[1]
        guard input[1] == inChannels else {
            throw EngineError.shapeMismatch("\(op): input \(input) has \(input[1]) channels, weight \(weight) expects \(inChannels)")
        }
        if let biasCount, biasCount != outChannels {
            throw EngineError.shapeMismatch("\(op): bias has \(biasCount) values, expected \(outChannels)")
        }
        let output = kind == .convolution
            ? geometry.convolutionShape(input: input, outChannels: outChannels)
            : geometry.transposedShape(input: input, outChannels: outChannels)
        guard output[2] > 0, output[3] > 0 else {
            throw EngineError.shapeMismatch("\(op): input \(input) with \(geometry) gives an empty output \(output)")
        }
        self.kind = kind
        self.input = input
        self.output = output
        self.weightDims = [outChannels, inChannels, weight[2], weight[3]]
        self.weightShape = weight
        self.hasBias = biasCount != nil
        self.geometry = geometry
        self.fusedReLU = fusedReLU
        self.forcesChannelsLast = channelsLast
    }

    /// PyTorch's weight layout described over the primitive's weight dims.
    func userWeightDesc() throws -> dnnl_memory_desc_t {
        try .make(weightDims, kind == .convolution ? dnnl_oihw : dnnl_iohw)
    }

    /// Winograd is faster for 3×3, stride 1, dilation 1 convolutions but not available for
    /// every shape or ISA, so it is tried first and direct is the fallback.
    ///
    /// Fused inference uses Winograd's own pre-transformed weight format, converted once per
    /// set of weights (the weight cache), and only for layers with at least
    /// `inferenceWinogradMinimumChannels` in and out: measured with DNNL_VERBOSE on
    /// dilated-resize, Winograd was 1.2–2.3× faster from 32 → 32 channels up (40–60 % of the
    /// 640², width 1.0 pass) but up to 2.7× slower on thinner layers (8 → 16 at 64²,
    /// 16 → 32 at 32²), where direct `brgconv` is the better kernel.
    var candidateAlgorithms: [dnnl_alg_kind_t] {
        let winogradShape = geometry.kernelH == 3 && geometry.kernelW == 3 && geometry.stride == 1
            && geometry.dilation == 1
        let wideEnough = !fusedReLU || min(weightDims[0], weightDims[1]) >= Self.inferenceWinogradMinimumChannels
        // oneDNN 2.6 has Winograd only for AVX-512: elsewhere asking for it is a failed primitive creation per call.
        if kind == .convolution, winogradShape, wideEnough, DNNLBackend.oneDNNHasWinograd {
            return [dnnl_convolution_winograd, dnnl_convolution_direct]
        }
        return [kind == .convolution ? dnnl_convolution_direct : dnnl_deconvolution_direct]
    }

    static let inferenceWinogradMinimumChannels = 32

    func key(_ pass: String, _ algorithm: dnnl_alg_kind_t) -> PrimitiveKey {
        let g = geometry
        return PrimitiveKey("conv.\(pass)", [kind.rawValue, Int64(algorithm.rawValue), hasBias ? 1 : 0, fusedReLU ? 1 : 0,
                                                 forcesChannelsLast ? 1 : 0],
                            input.map(Int64.init), weightDims.map(Int64.init),
                            [g.kernelH, g.kernelW, g.stride, g.padding, g.dilation].map(Int64.init))
    }

    // MARK: Op descriptors (all layouts `any`: the implementation chooses)

    private var strides: [Int64] { [Int64(geometry.stride), Int64(geometry.stride)] }
    private var dilates: [Int64] { [Int64(geometry.dilation - 1), Int64(geometry.dilation - 1)] }
    private var padding: [Int64] { [Int64(geometry.padding), Int64(geometry.padding)] }

    /// Below this many output channels activations are channels-last (`nhwc`) instead of
    /// blocked (`nChw16c`): blocking pads channels to 16, so the study's thin full-resolution
    /// layers (16 → 8 → 2 channels at 640², 8 → 4 → 2 at width 0.25) would move and store
    /// 2–8× the bytes they need.
    static let blockedMinimumChannels = 16

    var isChannelsLast: Bool { forcesChannelsLast || weightDims[0] < Self.blockedMinimumChannels }

    /// The layout of an activation (or its gradient): the primitive's choice, or `nhwc`.
    private func activation(_ dims: [Int]) throws -> dnnl_memory_desc_t {
        try isChannelsLast ? .make(dims, dnnl_acdb) : .any(dims)
    }

    /// An undefined descriptor means "no bias" to oneDNN.
    private func biasDesc() throws -> dnnl_memory_desc_t {
        hasBias ? try .plain([weightDims[0]]) : dnnl_memory_desc_t()
    }

    /// Forward training (the backward passes' hint), or inference when the ReLU is fused.
    private var forwardPropagation: dnnl_prop_kind_t { fusedReLU ? dnnl_forward_inference : dnnl_forward_training }

    func forwardDesc(_ algorithm: dnnl_alg_kind_t) throws -> dnnl_convolution_desc_t {
        var desc = dnnl_convolution_desc_t()
        var src = try activation(input), weights = try dnnl_memory_desc_t.any(weightDims)
        var bias = try biasDesc(), dst = try activation(output)
        switch kind {
        case .convolution:
            try dnnlCall("dnnl_dilated_convolution_forward_desc_init") {
                dnnl_dilated_convolution_forward_desc_init(&desc, forwardPropagation, algorithm, &src, &weights,
                                                           &bias, &dst, strides, dilates, padding, padding)
            }
        case .deconvolution:
            try dnnlCall("dnnl_dilated_deconvolution_forward_desc_init") {
                dnnl_dilated_deconvolution_forward_desc_init(&desc, forwardPropagation, algorithm, &src, &weights,
                                                             &bias, &dst, strides, dilates, padding, padding)
            }
        }
        return desc
    }

    func backwardDataDesc(_ algorithm: dnnl_alg_kind_t) throws -> dnnl_convolution_desc_t {
        var desc = dnnl_convolution_desc_t()
        var diffSrc = try activation(input), weights = try dnnl_memory_desc_t.any(weightDims)
        var diffDst = try activation(output)
        switch kind {
        case .convolution:
            try dnnlCall("dnnl_dilated_convolution_backward_data_desc_init") {
                dnnl_dilated_convolution_backward_data_desc_init(&desc, algorithm, &diffSrc, &weights, &diffDst,
                                                                 strides, dilates, padding, padding)
            }
        case .deconvolution:
            try dnnlCall("dnnl_dilated_deconvolution_backward_data_desc_init") {
                dnnl_dilated_deconvolution_backward_data_desc_init(&desc, algorithm, &diffSrc, &weights, &diffDst,
                                                                   strides, dilates, padding, padding)
            }
        }
        return desc
    }

    func backwardWeightsDesc(_ algorithm: dnnl_alg_kind_t) throws -> dnnl_convolution_desc_t {
        var desc = dnnl_convolution_desc_t()
        var src = try activation(input), diffWeights = try dnnl_memory_desc_t.any(weightDims)
        var diffBias = try biasDesc(), diffDst = try activation(output)
        switch kind {
        case .convolution:
            try dnnlCall("dnnl_dilated_convolution_backward_weights_desc_init") {
                dnnl_dilated_convolution_backward_weights_desc_init(&desc, algorithm, &src, &diffWeights, &diffBias,
                                                                    &diffDst, strides, dilates, padding, padding)
            }
        case .deconvolution:
            try dnnlCall("dnnl_dilated_deconvolution_backward_weights_desc_init") {
                dnnl_dilated_deconvolution_backward_weights_desc_init(&desc, algorithm, &src, &diffWeights, &diffBias,
                                                                      &diffDst, strides, dilates, padding, padding)
            }
        }
        return desc
    }
}
