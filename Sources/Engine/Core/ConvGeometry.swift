/// Geometry of a 2-D (transposed) convolution, PyTorch's conventions.
///
/// Convolution output size per axis:
///   out = floor((in + 2·padding − dilation·(kernel − 1) − 1) / stride) + 1
/// Transposed convolution output size per axis (PyTorch `ConvTranspose2d`, no output padding):
///   out = (in − 1)·stride − 2·padding + dilation·(kernel − 1) + 1
public struct ConvGeometry: Hashable, Sendable, CustomStringConvertible {
    public var kernel: (h: Int, w: Int) { (kernelH, kernelW) }
    public let kernelH: Int, kernelW: Int
    public let stride: Int
    public let padding: Int
    public let dilation: Int

    public init(kernel: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1) {
        self.init(kernelH: kernel, kernelW: kernel, stride: stride, padding: padding, dilation: dilation)
    }

    public init(kernelH: Int, kernelW: Int, stride: Int = 1, padding: Int = 0, dilation: Int = 1) {
        self.kernelH = kernelH; self.kernelW = kernelW
        self.stride = stride; self.padding = padding; self.dilation = dilation
    }

    public func convolutionOutput(_ input: Int, kernel k: Int) -> Int {
        (input + 2 * padding - dilation * (k - 1) - 1) / stride + 1
    }

    public func transposedOutput(_ input: Int, kernel k: Int) -> Int {
        (input - 1) * stride - 2 * padding + dilation * (k - 1) + 1
    }

    /// Output `[N, outChannels, H', W']` of a convolution on `input` `[N, C, H, W]`.
    public func convolutionShape(input: [Int], outChannels: Int) -> [Int] {
        [input[0], outChannels, convolutionOutput(input[2], kernel: kernelH), convolutionOutput(input[3], kernel: kernelW)]
    }

    public func transposedShape(input: [Int], outChannels: Int) -> [Int] {
        [input[0], outChannels, transposedOutput(input[2], kernel: kernelH), transposedOutput(input[3], kernel: kernelW)]
    }

    public var description: String {
        "k\(kernelH)x\(kernelW) s\(stride) p\(padding) d\(dilation)"
    }
}
