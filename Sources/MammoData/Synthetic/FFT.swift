/// A radix-2 complex fast Fourier transform (iterative Cooley–Tukey), in place on split
/// real/imaginary arrays. Sizes must be powers of two. Used to shape noise spectra.
///
/// Sign convention: forward X[k] = Σ x[n]·e^(−2πikn/N); inverse uses +, without 1/N scaling.
public struct FFT: Sendable {
    public let count: Int
    private let cosines: [Double]
    private let sines: [Double]
    private let bitReversed: [Int]

    /// Precomputes twiddles for transforms of `count` points (a power of two, ≥ 1).
    public init(count: Int) {
        precondition(count > 0 && count & (count - 1) == 0, "FFT size must be a power of two")
        self.count = count
        cosines = (0..<max(1, count / 2)).map { cos(2 * Double.pi * Double($0) / Double(count)) }
        sines = (0..<max(1, count / 2)).map { sin(2 * Double.pi * Double($0) / Double(count)) }
        var reversed = [Int](repeating: 0, count: count)
        var bits = 0
        while (1 << bits) < count { bits += 1 }
        for i in 0..<count {
            var r = 0, v = i
            for _ in 0..<bits { r = (r << 1) | (v & 1); v >>= 1 }
            reversed[i] = r
        }
        bitReversed = reversed
    }

    /// Transforms `count` points starting at `offset` with `stride` (rows: stride 1; columns: stride width).
    public func transform(real: UnsafeMutablePointer<Double>, imag: UnsafeMutablePointer<Double>,
                          offset: Int = 0, stride: Int = 1, inverse: Bool) {
        @inline(__always) func at(_ i: Int) -> Int { offset + i * stride }
        for i in 0..<count {
            let j = bitReversed[i]
            if j > i {
                swap(&real[at(i)], &real[at(j)])
                swap(&imag[at(i)], &imag[at(j)])
            }
        }
        let sign: Double = inverse ? 1 : -1
        var length = 2
        while length <= count {
            let half = length / 2, twiddleStep = count / length
            var start = 0
            while start < count {
                for k in 0..<half {
                    let wr = cosines[k * twiddleStep], wi = sign * sines[k * twiddleStep]
                    let a = at(start + k), b = at(start + k + half)
                    let tr = real[b] * wr - imag[b] * wi
                    let ti = real[b] * wi + imag[b] * wr
                    real[b] = real[a] - tr; imag[b] = imag[a] - ti
                    real[a] += tr; imag[a] += ti
                }
                start += length
            }
            length *= 2
        }
    }

    /// 2-D transform of a `count`×`count` row-major grid: every row, then every column (each
    /// column copied to a contiguous scratch line first: strided butterflies miss the cache).
    public func transform2D(real: inout [Double], imag: inout [Double], inverse: Bool) {
        precondition(real.count == count * count && imag.count == count * count, "FFT: grid must be count×count")
        var lineReal = [Double](repeating: 0, count: count), lineImag = [Double](repeating: 0, count: count)
        real.withUnsafeMutableBufferPointer { re in
            imag.withUnsafeMutableBufferPointer { im in
                for row in 0..<count {
                    transform(real: re.baseAddress!, imag: im.baseAddress!, offset: row * count, stride: 1, inverse: inverse)
                }
                lineReal.withUnsafeMutableBufferPointer { lr in
                    lineImag.withUnsafeMutableBufferPointer { li in
                        for column in 0..<count {
                            for i in 0..<count { lr[i] = re[i * count + column]; li[i] = im[i * count + column] }
                            transform(real: lr.baseAddress!, imag: li.baseAddress!, inverse: inverse)
                            for i in 0..<count { re[i * count + column] = lr[i]; im[i * count + column] = li[i] }
                        }
                    }
                }
            }
        }
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
