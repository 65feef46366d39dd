import Foundation

/// A VOI window (PS3.3 C.11.2.1.2): center, width and the function that maps modality values
/// into the displayed range [0, 1].
public struct DICOMWindow: Sendable, Equatable {
    public enum Function: String, Sendable {
        case linear = "LINEAR", linearExact = "LINEAR_EXACT", sigmoid = "SIGMOID"
    }

    public let center: Double
    public let width: Double
    public let function: Function
    public let explanation: String?

    public init(center: Double, width: Double, function: Function = .linear, explanation: String? = nil) {
        self.center = center; self.width = width; self.function = function; self.explanation = explanation
    }

    /// The standard's minimum width: 1 for LINEAR (width 1 is a step), above 0 otherwise.
    public var isValid: Bool { function == .linear ? width >= 1 : width > 0 }

    /// Modality value x → [0, 1] (C.11.2.1.2.1 for LINEAR, C.11.2.1.3.2 for LINEAR_EXACT, SIGMOID).
    /// Infinite x (a huge slope) saturates; NaN cannot arise from finite header values.
    @inline(__always) public func apply(_ x: Double) -> Double {
        switch function {
        case .linear:
            if width == 1 { return x < center - 0.5 ? 0 : 1 }
            return min(max((x - (center - 0.5)) / (width - 1) + 0.5, 0), 1)
        case .linearExact:
            return min(max((x - center) / width + 0.5, 0), 1)
        case .sigmoid:
            return 1 / (1 + exp(-4 * (x - center) / width))
        }
    }
}
