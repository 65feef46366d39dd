import Foundation

/// The learning rate per epoch: the study's staircase exponential decay
///
///     lr(epoch) = base · factor^⌊epoch / every⌋        (epochs counted from 0)
///
/// (TensorFlow's `exponential_decay(..., staircase=True)`, by default ×0.85 every 10 epochs),
/// or a constant rate (factor 1).
public struct LearningRateSchedule: Equatable, Sendable, CustomStringConvertible {
    public let base: Float
    public let factor: Float
    public let every: Int

    /// Staircase decay; throws on a non-positive base, factor outside (0, 1] or `every` < 1.
    public init(base: Float, factor: Float = 0.85, every: Int = 10) throws {
        guard base > 0, base.isFinite else {
            throw EngineError.invalidArgument("learning rate \(base) must be a positive number")
        }
        guard factor > 0, factor <= 1 else {
            throw EngineError.invalidArgument("learning-rate decay factor \(factor) must be in (0, 1]")
        }
        guard every >= 1 else {
            throw EngineError.invalidArgument("learning-rate decay interval \(every) must be at least 1 epoch")
        }
        self.base = base
        self.factor = factor
        self.every = every
    }

    /// The same rate every epoch.
    public static func constant(_ learningRate: Float) throws -> LearningRateSchedule {
        try LearningRateSchedule(base: learningRate, factor: 1, every: 1)
    }

    public func learningRate(epoch: Int) -> Float {
        let decays = max(0, epoch) / every
        return Float(Double(base) * pow(Double(factor), Double(decays)))
    }

    public var description: String {
        factor == 1 ? "constant \(base)" : "\(base) × \(factor)^⌊epoch/\(every)⌋"
    }
}
