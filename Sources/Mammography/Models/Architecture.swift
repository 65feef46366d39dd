/// The study's six networks (`reference/models.py`, `ARCHS`).
public enum Architecture: String, CaseIterable, Sendable, CustomStringConvertible {
    /// Dilated encoder, nearest resize + conv upsampling, two transpose convs before the logits (the seed's final net).
    case dilatedResize = "dilated-resize"
    /// As `dilatedResize`, but the first upsampling step is a stride-2 transpose conv (checkerboard artifacts).
    case dilatedTransposeFirst = "dilated-transpose-first"
    /// FCN after Long et al.: transpose convs with encoder skips added.
    case fcnTranspose = "fcn-transpose"
    /// FCN whose skips pass through a 1×1 conv + BN + ReLU first.
    case fcnTransposeBottleneck = "fcn-transpose-bottleneck"
    /// FCN with bottleneck skips and nearest resize + conv for the middle steps (up3…up5).
    case fcnHybrid = "fcn-hybrid"
    /// Normal/abnormal image classifier whose encoder initialises the segmenters.
    case classifier

    /// Parses a command-line name, with an error that lists the valid ones.
    public init(named name: String) throws {
        guard let architecture = Architecture(rawValue: name) else { throw ModelError.unknownArchitecture(name) }
        self = architecture
    }

    public var description: String { rawValue }

    /// What the input's height and width must be divisible by: 32 (five halvings) for the
    /// dilated nets and the classifier; 320 for the FCN family, whose 5×5 stride-5 `fc1`
    /// runs on S/64.
    public var sizeDivisor: Int {
        switch self {
        case .dilatedResize, .dilatedTransposeFirst, .classifier: return 32
        case .fcnTranspose, .fcnTransposeBottleneck, .fcnHybrid: return 320
        }
    }

    /// The input size assumed when a checkpoint does not say (a PyTorch state_dict): the
    /// smallest valid size from 256 up, so every architecture can run it.
    public var defaultInputSize: Int { (256 + sizeDivisor - 1) / sizeDivisor * sizeDivisor }

    /// True for the networks that output a per-pixel map; false for the classifier.
    public var isSegmenter: Bool { self != .classifier }

    /// Checks an input batch shape `[N, 1, H, W]` before any work is done.
    public func validate(inputShape shape: [Int]) throws {
        func fail(_ reason: String) -> ModelError {
            .invalidInputShape(architecture: self, shape: shape, reason: reason)
        }
        guard shape.count == 4, shape[0] >= 1 else { throw fail("expected a batch [N, 1, H, W]") }
        guard shape[1] == 1 else { throw fail("expected 1 channel (grayscale), got \(shape[1])") }
        for side in shape[2...3] where side < sizeDivisor || side % sizeDivisor != 0 {
            throw fail("height and width must be positive multiples of \(sizeDivisor), got \(side); "
                + "use a size such as \(Architecture.nearestValidSize(side, divisor: sizeDivisor))")
        }
        for side in shape[2...3] where side > Architecture.maximumInputSide {
            throw fail("height and width must be at most \(Architecture.maximumInputSide), got \(side); "
                + "larger images are predicted in tiles")
        }
    }

    /// Checks a square input size (the `--size` option).
    public func validate(inputSize size: Int) throws {
        try validate(inputShape: [1, 1, size, size])
    }

    /// The largest input side a network runs on at once (a 16384² batch of one already needs
    /// gigabytes per feature map); whole mammograms beyond it are tiled.
    public static let maximumInputSide = 16384

    static func nearestValidSize(_ side: Int, divisor: Int) -> Int {
        let clamped = min(max(side, 0), maximumInputSide)  // any Int, even Int.max, without overflow
        return max(divisor, (clamped + divisor / 2) / divisor * divisor)
    }
}
