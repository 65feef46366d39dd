/// The breast's silhouette and compressed thickness for a phantom: a half-superellipse
/// against the chest wall (left edge, x = 0) whose thickness falls off as √(1 − u²) over the
/// outer band near the skin line; MLO views add the pectoral muscle, a triangle in the upper
/// left corner.
struct BreastOutline {
    let width: Int, height: Int
    /// Centre row of the half-ellipse, and its semi-axes (depth along x, half-height along y).
    let centerY: Double, depth: Double, halfHeight: Double
    /// Superellipse exponent (2 = ellipse; larger = boxier).
    let exponent: Double
    /// Normalised radius where the skin fall-off starts (0.85–0.9).
    let falloffStart: Double
    /// Pectoral triangle legs along the top edge and the left edge (0 for CC views).
    let pectoralWidth: Double, pectoralHeight: Double

    init(width: Int, height: Int, view: String, generator: inout SeededGenerator) {
        self.width = width; self.height = height
        let w = Double(width), h = Double(height)
        exponent = generator.uniform(1.8, 2.4)
        falloffStart = generator.uniform(0.85, 0.9)
        if view == "MLO" {
            centerY = h * generator.uniform(0.5, 0.58)
            depth = w * generator.uniform(0.62, 0.88)
            halfHeight = h * generator.uniform(0.46, 0.56)
            pectoralWidth = w * generator.uniform(0.22, 0.4)
            pectoralHeight = h * generator.uniform(0.45, 0.75)
        } else {
            centerY = h * generator.uniform(0.45, 0.55)
            depth = w * generator.uniform(0.55, 0.85)
            halfHeight = h * generator.uniform(0.36, 0.46)
            pectoralWidth = 0; pectoralHeight = 0
        }
    }

    /// Superellipse radius of a pixel centre: < 1 inside the breast.
    @inline(__always) func radius(x: Int, y: Int) -> Double {
        let u = (Double(x) + 0.5) / depth, v = abs(Double(y) + 0.5 - centerY) / halfHeight
        return pow(pow(u, exponent) + pow(v, exponent), 1 / exponent)
    }

    /// Relative thickness in [0, 1]: 1 in the interior, √(1 − s²) across the skin band, 0 outside.
    @inline(__always) func thickness(radius rho: Double) -> Double {
        if rho >= 1 { return 0 }
        if rho <= falloffStart { return 1 }
        let s = (rho - falloffStart) / (1 - falloffStart)
        return (1 - s * s).squareRoot()
    }

    /// Pectoral weight in [0, 1] with a two-pixel soft edge (0 outside the triangle, 0 for CC).
    @inline(__always) func pectoral(x: Int, y: Int) -> Double {
        guard pectoralWidth > 0 else { return 0 }
        let t = (Double(x) + 0.5) / pectoralWidth + (Double(y) + 0.5) / pectoralHeight
        // Distance to the hypotenuse in pixels, positive inside.
        let norm = (1 / (pectoralWidth * pectoralWidth) + 1 / (pectoralHeight * pectoralHeight)).squareRoot()
        let inside = (1 - t) / norm
        return min(1, max(0, (inside + 1) / 2))
    }
}

#if canImport(Glibc)
import Engine
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
