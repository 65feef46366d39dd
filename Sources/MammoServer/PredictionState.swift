/// Where an image's prediction stands.
enum PredictionState: Sendable, Equatable {
    case pending
    case running
    /// Score: the map's maximum (the image score the study uses).
    case done(score: Double)
    /// A short message, safe to show (no paths).
    case failed(String)

    var label: String {
        switch self {
        case .pending: return "pending"
        case .running: return "running"
        case .done: return "done"
        case .failed: return "failed"
        }
    }

    var score: Double? { if case let .done(score) = self { return score }; return nil }
    var isFinished: Bool { switch self { case .done, .failed: return true; default: return false } }
}
