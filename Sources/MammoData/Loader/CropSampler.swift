import Engine
/// Draws one augmented training crop from a decoded image: scale jitter, a crop window
/// (lesion-centred or uniform), flips and optional 90° rotations — one geometric mapping
/// applied identically to image (bilinear) and mask (nearest).
struct CropSampler {
    let configuration: LoaderConfiguration

    /// Writes S·S intensities into `image` and S·S labels into `labels` (both at offset 0).
    func sample(_ source: DecodedSample, generator: inout SeededGenerator,
                image: UnsafeMutableBufferPointer<Float>, labels: UnsafeMutableBufferPointer<UInt8>) {
        let size = configuration.size
        let range = configuration.scaleRange
        let scale = range.lowerBound + (range.upperBound - range.lowerBound) * generator.uniform()
        // Source window covered by the crop, in source pixels.
        let window = Double(size) / scale
        let useLesion = !source.lesionPixels.isEmpty && generator.chance(configuration.lesionCropFraction)
        let originX: Double, originY: Double
        if useLesion {
            let pixel = source.lesionPixels[generator.int(below: source.lesionPixels.count)]
            let px = Double(pixel % source.width) + 0.5, py = Double(pixel / source.width) + 0.5
            // The lesion pixel lands in the central half of the crop.
            originX = clampOrigin(px - window * generator.uniform(0.25, 0.75), window: window, extent: source.width)
            originY = clampOrigin(py - window * generator.uniform(0.25, 0.75), window: window, extent: source.height)
        } else {
            originX = uniformOrigin(window: window, extent: source.width, generator: &generator)
            originY = uniformOrigin(window: window, extent: source.height, generator: &generator)
        }
        let flipX = configuration.horizontalFlips && generator.chance(0.5)
        let flipY = configuration.verticalFlips && generator.chance(0.5)
        let rotate = configuration.rotations && generator.chance(0.5)

        let step = 1 / scale
        let last = size - 1
        source.pixels.withUnsafeBufferPointer { pixels in
            source.mask.withUnsafeBufferPointer { mask in
                for v in 0..<size {
                    for u in 0..<size {
                        // Output (u, v) → crop coordinates (cu, cv) through the dihedral transform.
                        var cu = flipX ? last - u : u, cv = flipY ? last - v : v
                        if rotate { (cu, cv) = (cv, last - cu) }
                        let sx = originX + (Double(cu) + 0.5) * step - 0.5
                        let sy = originY + (Double(cv) + 0.5) * step - 0.5
                        let out = v * size + u
                        // Clamped: the bilinear weights may sum to 1 + ε in float.
                        image[out] = min(1, bilinear(pixels, source, sx, sy) * source.intensityScale)
                        let nx = Int((sx + 0.5).rounded(.down)), ny = Int((sy + 0.5).rounded(.down))
                        labels[out] = (nx >= 0 && ny >= 0 && nx < source.width && ny < source.height) ? mask[ny * source.width + nx] : 0
                    }
                }
            }
        }
    }

    /// Bilinear sample with zero outside the image.
    @inline(__always)
    private func bilinear(_ pixels: UnsafeBufferPointer<UInt16>, _ source: DecodedSample, _ x: Double, _ y: Double) -> Float {
        let x0 = Int(x.rounded(.down)), y0 = Int(y.rounded(.down))
        let fx = Float(x - Double(x0)), fy = Float(y - Double(y0))
        @inline(__always) func at(_ px: Int, _ py: Int) -> Float {
            guard px >= 0, py >= 0, px < source.width, py < source.height else { return 0 }
            return Float(pixels[py * source.width + px])
        }
        let top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx
        let bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx
        return top * (1 - fy) + bottom * fy
    }

    /// Keeps a window inside the image when it fits, else centres the image in it.
    private func clampOrigin(_ origin: Double, window: Double, extent: Int) -> Double {
        let free = Double(extent) - window
        return free >= 0 ? min(max(origin, 0), free) : free / 2
    }

    /// A uniformly placed window: inside the image when it fits, else anywhere that still contains the image.
    private func uniformOrigin(window: Double, extent: Int, generator: inout SeededGenerator) -> Double {
        // When the window is larger (free < 0) the origin lies in [free, 0]: the window contains the image.
        (Double(extent) - window) * generator.uniform()
    }
}
