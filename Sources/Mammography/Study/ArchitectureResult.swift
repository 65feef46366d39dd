/// What `ArchitectureComparison` measured for one architecture.
public struct ArchitectureResult: Codable, Sendable {
    public var architecture: String
    /// Trainable weights (PyTorch's `sum(p.numel() for p in model.parameters())`).
    public var parameters: Int
    /// Mean training time of an epoch (without validation).
    public var secondsPerEpoch: Double?
    public var epochs: Int
    /// The best checkpoint (validation Dice) on the evaluation split.
    public var evaluation: EvaluationReport
    /// `IntensityCorrelation.meanOverNormalImages` on the evaluation split.
    public var intensityCorrelation: Double?
    /// Checkerboard scores on the measurement images, before and after training.
    public var initial: CheckerboardMeasurement
    public var trained: CheckerboardMeasurement
    /// The probe (`CheckerboardProbe`) on the network before training, keyed by input name.
    public var probe: [String: CheckerboardMeasurement]

    /// The table columns, keyed as in `StudyTables.columns`.
    public var values: [String: Double] {
        var row = evaluation.summaryMetrics()
        row["corr_input_prob_normal"] = intensityCorrelation ?? .nan
        func put(_ key: String, _ scores: CheckerboardScores) {
            row[key + "_cef2"] = scores.cef2 ?? .nan
            row[key + "_cef4"] = scores.cef4 ?? .nan
        }
        put("prob_init", initial.probability)
        put("prob_trained", trained.probability)
        put("first_up_init", initial.firstScoredLayer?.scores ?? CheckerboardScores(cef2: nil, cef4: nil))
        put("first_up_trained", trained.firstScoredLayer?.scores ?? CheckerboardScores(cef2: nil, cef4: nil))
        put("up_init", initial.upsamplingMean)
        put("up_trained", trained.upsamplingMean)
        for (input, measurement) in probe {
            put("probe_\(input)_prob", measurement.probability)
            put("probe_\(input)_up", measurement.upsamplingMean)
            put("probe_\(input)_first_up", measurement.firstScoredLayer?.scores ?? CheckerboardScores(cef2: nil, cef4: nil))
        }
        row["seconds_per_epoch"] = secondsPerEpoch ?? .nan
        row["parameters"] = Double(parameters)
        return row
    }
}
