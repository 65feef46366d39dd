import Engine

/// CEF_2 and CEF_4 (`CheckerboardEnergy`) of one map or one layer's maps; `nil` where the
/// map is too small to hold three periods inside its excluded border.
public struct CheckerboardScores: Codable, Equatable, Sendable {
    public var cef2: Double?
    public var cef4: Double?

    public init(cef2: Double?, cef4: Double?) { self.cef2 = cef2; self.cef4 = cef4 }

    /// The periods reported: 2 (a stride-2 transpose conv) and 4 (two of them, or a ×4 step).
    public static let periods = [2, 4]

    /// Pixels left out at each edge of a `side`-pixel map: 1/16 of the side, at least 2, so
    /// the zero padding's influence near the edges is not counted as a pattern.
    public static func border(side: Int) -> Int { max(2, side / 16) }

    /// Scores of `[channels, height, width]` maps (a probability map is one channel).
    public static func of(maps: [Float], channels: Int, width: Int, height: Int) throws -> CheckerboardScores {
        var scores: [Double?] = []
        for s in periods {
            let border = max(border(side: min(width, height)), s - 1)
            if min(width, height) - 2 * border < 3 * s {
                scores.append(nil)
            } else {
                scores.append(try CheckerboardEnergy.fraction(featureMaps: maps, channels: channels, width: width,
                                                              height: height, period: s, border: border))
            }
        }
        return CheckerboardScores(cef2: scores[0], cef4: scores[1])
    }

    /// Element-wise mean of the defined values (nil where none is).
    public static func mean(_ all: [CheckerboardScores]) -> CheckerboardScores {
        func average(_ values: [Double?]) -> Double? {
            let defined = values.compactMap { $0 }
            return defined.isEmpty ? nil : defined.reduce(0, +) / Double(defined.count)
        }
        return CheckerboardScores(cef2: average(all.map(\.cef2)), cef4: average(all.map(\.cef4)))
    }
}

/// How much checkerboard a network puts into its outputs for some inputs: CEF of the
/// probability map and of the feature maps after every upsampling layer
/// (`SegmentationModel.upsamplingLayers`), each layer's score the mean over its channels.
public struct CheckerboardMeasurement: Codable, Equatable, Sendable {
    public struct Layer: Codable, Equatable, Sendable {
        public var name: String
        /// Side of the layer's maps (for the first input measured).
        public var width: Int, height: Int
        public var scores: CheckerboardScores
    }

    public var probability: CheckerboardScores
    public var layers: [Layer]

    /// Mean over the upsampling layers that have a score.
    public var upsamplingMean: CheckerboardScores { CheckerboardScores.mean(layers.map(\.scores)) }

    /// The first upsampling layer large enough for a CEF_2: where the architectures differ
    /// (dilated-resize: resize + conv; dilated-transpose-first: transpose conv), before the
    /// final layers they share can mix in their own pattern.
    public var firstScoredLayer: Layer? { layers.first { $0.scores.cef2 != nil } }

    /// Runs `model` on one image (`[height, width]`, intensities in [0, 1], sides multiples
    /// of the architecture's `sizeDivisor`) and scores its outputs.
    ///
    /// `batchStatistics`: batch norm normalises with the image's own statistics (training
    /// mode) instead of the running ones; the running statistics are restored afterwards, so
    /// the model is left as it was. An untrained network needs this to pass its input on:
    /// with PyTorch's default init each convolution shrinks the signal while the biases stay,
    /// so in inference mode its output hardly depends on the input.
    public static func measure(model: any SegmentationModel, backend: Backend, image: [Float],
                               width: Int, height: Int, batchStatistics: Bool = false) throws -> CheckerboardMeasurement {
        let ctx = Context(backend: backend, training: batchStatistics)
        let buffers = model.parameters.filter { $0.kind == .buffer }
        let saved = buffers.map(\.value)
        defer { for (buffer, value) in zip(buffers, saved) { buffer.value = value } }
        let names = model.upsamplingLayers
        ctx.captureNames = Set(names)
        let softmax = try backend.download(model.probabilities(ctx.input(HostTensor(shape: [1, 1, height, width],
                                                                                    scalars: image)), ctx))
        let plane = width * height
        let probability = Array(softmax.scalars[plane..<(2 * plane)])  // channel 1: P(abnormal)
        var layers: [Layer] = []
        for name in names {
            guard let tensor = ctx.captured[name] else { continue }
            let maps = try backend.download(tensor)
            let (c, h, w) = (maps.shape[1], maps.shape[2], maps.shape[3])
            layers.append(Layer(name: name, width: w, height: h,
                                scores: try CheckerboardScores.of(maps: maps.scalars, channels: c, width: w, height: h)))
        }
        return CheckerboardMeasurement(
            probability: try CheckerboardScores.of(maps: probability, channels: 1, width: width, height: height),
            layers: layers)
    }

    /// Scores averaged over several measurements of the same network (layers matched by name).
    public static func mean(_ all: [CheckerboardMeasurement]) -> CheckerboardMeasurement {
        guard let first = all.first else { return CheckerboardMeasurement(probability: .init(cef2: nil, cef4: nil), layers: []) }
        let layers = first.layers.map { layer in
            Layer(name: layer.name, width: layer.width, height: layer.height,
                  scores: CheckerboardScores.mean(all.compactMap { m in m.layers.first { $0.name == layer.name }?.scores }))
        }
        return CheckerboardMeasurement(probability: CheckerboardScores.mean(all.map(\.probability)), layers: layers)
    }
}
