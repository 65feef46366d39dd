import CDNNL
import CThinConvolution
import Engine
import Foundation

/// 3×3 "same" convolutions with fewer than 8 output and at most 16 input channels — the segmenters' thin
/// full-resolution tails — on MammoSeg's AVX2 kernel (`CThinConvolution`), in plain NCHW.
/// oneDNN's blocked kernels pad both channel counts to 8: at width 0.25 tconv2 (4 → 2
/// channels at 256²) ran at 8 GMAC/s there and took 14 % of an inference pass (DNNL_VERBOSE).
extension DNNLBackend {
    /// AVX2 + FMA present, and not turned off by `MAMMOSEG_THIN=0` (a measurement knob: the
    /// same layers on oneDNN).
    static let thinKernelAvailable = cpuHasAVX2FMA
        && ProcessInfo.processInfo.environment["MAMMOSEG_THIN"] != "0"

    /// Whether the inference convolution `spec` runs on the thin kernel: fewer than 8 output
    /// channels. At 8 (conv1_1/1_2/up5 at width 0.25) oneDNN wastes no lanes and its neighbours'
    /// blocked layout needs no reorders; the kernel made those passes 5 % slower there, while
    /// for tconv2 alone it adds ~10 % (`MAMMOSEG_THIN=0|1 mammoseg bench --steps 40`, alternating).
    static func runsThin(_ spec: ConvolutionSpec) -> Bool {
        let g = spec.geometry
        return thinKernelAvailable && spec.kind == .convolution && g.kernelH == 3 && g.kernelW == 3 && g.stride == 1
            && g.dilation == 1 && g.padding == 1 && spec.weightDims[0] < Int(MAMMOSEG_THIN_MAX_OUT)
            && spec.weightDims[1] <= 16
    }

    /// conv(x, weight) + bias, then ReLU when `relu`, with the weight and bias `derive` gives
    /// (`[Cout, Cin, 3, 3]`; computed once per set of `sources`, the weight cache's key).
    func runThin(_ spec: ConvolutionSpec, _ x: Tensor, sources: [[Float]], relu: Bool, op: String,
                 _ derive: () -> (weight: HostTensor, bias: HostTensor?)) throws -> Tensor {
        let (outChannels, inChannels) = (spec.weightDims[0], spec.weightDims[1])
        let values = try weights.values(for: sources, layout: PrimitiveKey("thin", spec.weightDims.map(Int64.init))) {
            let (weight, bias) = derive()
            let zeros = HostTensor(shape: [outChannels], scalars: Array(repeating: 0, count: outChannels))
            return [try converted(weight, to: .plain(spec.weightDims)), try converted(bias ?? zeros, to: .plain([outChannels]))]
        }
        let input = try converted(try storage(of: x, op), to: .plain(spec.input))
        let output = allocate(try .plain(spec.output))
        let source = UnsafePointer(input.data.assumingMemoryBound(to: Float.self))
        let weight = UnsafePointer(values[0].data.assumingMemoryBound(to: Float.self))
        let bias = UnsafePointer(values[1].data.assumingMemoryBound(to: Float.self))
        let destination = output.data.assumingMemoryBound(to: Float.self)
        let (images, height, width) = (spec.input[0], spec.input[2], spec.input[3])
        openMPParallel(images * height, threads: threads) { rows in
            mammoseg_thin_conv3x3_avx2(source, inChannels, outChannels, height, width, weight, bias, relu ? 1 : 0,
                                       rows.lowerBound, rows.upperBound, destination)
        }
        withExtendedLifetime((input, values)) {}
        return tensor(output)
    }
}
