import Foundation

/// The comparison's tables, built from `ArchitectureResult.values`.
public enum StudyTables {
    /// Segmentation quality and cost: Dice and IoU (pooled, positive images), false-positive
    /// pixel rate on normal images, input–probability correlation on normal images.
    public static let metricColumns = ["dice", "iou", "fp_rate_normal", "corr_input_prob_normal", "auc_max",
                                       "froc_sens_at_1fp", "froc_cpm", "seconds_per_epoch", "parameters"]
    /// Checkerboard energy: of the probability map (prob_), of the first scored upsampling
    /// layer (first_up_) and mean over all upsampling layers' feature maps (up_), on the
    /// measurement images at initialisation and after training, and the probe's texture
    /// through the untrained network (constant-input scores are in results.json).
    public static let checkerboardColumns = [
        "prob_init_cef2", "prob_init_cef4", "prob_trained_cef2", "prob_trained_cef4",
        "first_up_init_cef2", "first_up_trained_cef2",
        "up_init_cef2", "up_init_cef4", "up_trained_cef2", "up_trained_cef4",
        "probe_texture_prob_cef2", "probe_texture_first_up_cef2", "probe_texture_up_cef2",
    ]

    /// Every column, metrics then checkerboard (the JSON table).
    public static func table(_ results: [ArchitectureResult]) -> ComparisonTable {
        ComparisonTable(rows: results.map { .init(architecture: $0.architecture, values: $0.values) },
                        columns: metricColumns + checkerboardColumns)
    }

    public static func metrics(_ results: [ArchitectureResult]) -> ComparisonTable {
        ComparisonTable(rows: results.map { r in .init(architecture: r.architecture, values: r.values.filter { metricColumns.contains($0.key) }) },
                        columns: metricColumns)
    }

    public static func checkerboard(_ results: [ArchitectureResult]) -> ComparisonTable {
        ComparisonTable(rows: results.map { r in
            .init(architecture: r.architecture, values: r.values.filter { checkerboardColumns.contains($0.key) })
        }, columns: checkerboardColumns)
    }

    /// One row per architecture and upsampling layer ("arch layer (side)"): CEF_2 and CEF_4
    /// at initialisation and after training ("–" where the map is too small).
    public static func layers(_ results: [ArchitectureResult]) -> ComparisonTable {
        var rows: [ComparisonTable.Row] = []
        for result in results {
            for layer in result.initial.layers {
                let trained = result.trained.layers.first { $0.name == layer.name }?.scores
                rows.append(.init(architecture: "\(result.architecture) \(layer.name) (\(layer.width)²)", values: [
                    "init_cef2": layer.scores.cef2 ?? .nan, "init_cef4": layer.scores.cef4 ?? .nan,
                    "trained_cef2": trained?.cef2 ?? .nan, "trained_cef4": trained?.cef4 ?? .nan,
                ]))
            }
        }
        return ComparisonTable(rows: rows, columns: ["init_cef2", "init_cef4", "trained_cef2", "trained_cef4"])
    }

    /// The probe: one row per architecture and input; probability map and mean upsampling-layer CEF.
    public static func probe(_ results: [(architecture: String, probe: CheckerboardProbe.Readings)]) -> ComparisonTable {
        var rows: [ComparisonTable.Row] = []
        for result in results {
            for (input, m) in result.probe {
                let up = m.upsamplingMean
                rows.append(.init(architecture: "\(result.architecture) \(input.rawValue)", values: [
                    "prob_cef2": m.probability.cef2 ?? .nan, "prob_cef4": m.probability.cef4 ?? .nan,
                    "up_cef2": up.cef2 ?? .nan, "up_cef4": up.cef4 ?? .nan,
                ]))
            }
        }
        return ComparisonTable(rows: rows, columns: ["prob_cef2", "prob_cef4", "up_cef2", "up_cef4"])
    }

    /// comparison.md: the three tables with a line saying what each column means.
    public static func markdown(_ results: [ArchitectureResult], settings: String) -> String {
        """
        # Architecture comparison

        \(settings)

        ## Segmentation (evaluation split, best checkpoint by validation Dice)

        Dice, IoU: pooled over positive images. fp_rate_normal: fraction of breast pixels with p > threshold on \
        normal images. corr_input_prob_normal: mean per-image Pearson correlation of input intensity and \
        probability over breast pixels of normal images. auc_max: image-level ROC AUC of the map's maximum. \
        froc_sens_at_1fp, froc_cpm: lesion FROC (peaks of the smoothed map, hit within 4 px of a lesion) \
        sensitivity at 1 false positive per image and its mean over 0.125–4 FP/image (the rates the curve reaches).

        \(metrics(results).markdown())
        ## Checkerboard energy fraction

        prob_*: CEF of the probability maps; first_up_*: CEF of the first upsampling layer whose maps are large \
        enough to score (up1 for the dilated nets, up2 for the FCN at 320); up_*: mean CEF of the feature maps \
        after all upsampling layers; all averaged over the measurement images, at initialisation (init, batch norm \
        with batch statistics) and after training (trained). probe_texture_*: power-law texture through the \
        untrained network. ≈ 0 means no periodic artifact.

        \(checkerboard(results).markdown())
        ## Checkerboard energy per upsampling layer

        \(layers(results).markdown())
        """
    }
}
