/// Widens unsigned 8- or 16-bit samples to the Int32 of `DecodedImage`, interleaving component
/// planes on the way when the decoder wrote them one plane after another. Pointer loops: a
/// mammogram has 10⁷ samples, and per-element array access would cost more than decoding.
func widenedSamples<Sample: FixedWidthInteger & UnsignedInteger>(
    _ source: UnsafeBufferPointer<Sample>, components: Int, planar: Bool
) -> [Int32] {
    let total = source.count
    guard let input = source.baseAddress, total > 0 else { return [] }
    return [Int32](unsafeUninitializedCapacity: total) { buffer, initialized in
        let output = buffer.baseAddress!
        if !planar || components == 1 {
            for index in 0..<total { output[index] = Int32(truncatingIfNeeded: input[index]) }
        } else {
            let pixels = total / components
            for component in 0..<components {
                let plane = input + component * pixels
                for pixel in 0..<pixels {
                    output[pixel * components + component] = Int32(truncatingIfNeeded: plane[pixel])
                }
            }
        }
        initialized = total
    }
}
