import ArgumentParser
import Foundation
import MammoData
import Mammography

struct PredictCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Probability heatmaps of whole mammograms (PNG, DICOM or PGM).",
        discussion: """
        For each input writes, into --out: NAME_probability.png (16-bit gray, p·65535), NAME_heatmap.png (the map in \
        colour over the mammogram, with a colour-scale legend), and with --mask NAME_mask.png (p > threshold). \
        Every map has the input's own rows × columns (never flipped or cropped) and is 0 outside the breast: the \
        input is prepared as the training images were (the checkpoint's preprocessing policy, or the study's \
        default: breast mask, chest wall left, crop, longest side 640), run at that scale and mapped back. \
        --no-preprocessing runs the image as given. \
        Images larger than the training size run as overlapping tiles blended with a smooth window, so a full \
        3000×5000 mammogram fits in bounded memory. --tta averages with the prediction of the mirrored image. \
        --data DATASET [--split S] instead of inputs predicts the split's prepared images, named by dataset id \
        (ID_probability.png, ready for evaluate --maps). \
        --dicom-seg (DICOM inputs) also writes NAME_seg.dcm: the map as a DICOM Segmentation (FRACTIONAL, \
        PROBABILITY, 8-bit, p·255) in the input's grid, with its patient and study, referencing it; --binary-seg \
        adds NAME_seg_binary.dcm, a BINARY one at --threshold, for viewers that show only those. \
        --no-overlay writes the maps without the colour overlays (for pipelines: a full-field overlay takes longer \
        to compress than the rest of the image's work). Several images are read, prepared, mapped back and written \
        at once (up to 4, at most one per core). \
        Under `mpirun -np N` the inputs are shared out between the N processes (each writes its own images' files).
        """)

    @Option(help: "Checkpoint (.safetensors).") var checkpoint: String
    @Argument(help: "Input images.") var inputs: [String] = []
    @Option(help: "Instead of inputs: a prepared dataset; predicts its --split, files named by id.") var data: String?
    @Option(help: "With --data: train, val or test.") var split: String = "test"
    @Option(help: "Output folder.") var out: String
    @Option(help: "Probability threshold for --mask and --binary-seg.") var threshold: Double = 0.5
    @Flag(help: "Also write the hard mask.") var mask = false
    @Flag(help: "DICOM inputs: also write NAME_seg.dcm, the map as a FRACTIONAL DICOM Segmentation referencing the input.")
    var dicomSeg = false
    @Flag(help: "With --dicom-seg: also NAME_seg_binary.dcm, a BINARY Segmentation at --threshold.") var binarySeg = false
    @Flag(help: "No NAME_heatmap.png (the colour overlay): the maps only.") var noOverlay = false
    @Flag(help: "Flip test-time augmentation.") var tta = false
    @Option(help: "Tile size (default: the checkpoint's training size).") var tile: Int?
    @Option(help: "Architecture, for checkpoints without MammoSeg metadata.") var arch: String?
    @Option(help: "Width, for checkpoints without MammoSeg metadata.") var width: Double?
    @OptionGroup var parallel: ReplicaOptions
    @OptionGroup var engine: BackendOptions
    @OptionGroup var limits: ReadLimitOptions
    @OptionGroup var preprocessingOptions: PreprocessingOptions
    @Flag(help: "Run the image as given: no breast mask, flip, crop or scaling.") var noPreprocessing = false

    func validate() throws {
        guard inputs.isEmpty != (data == nil) else { throw ValidationError("give input images or --data, not both or neither") }
        guard Split(rawValue: split) != nil else { throw ValidationError("--split must be train, val or test, not '\(split)'") }
        guard threshold > 0, threshold < 1 else { throw ValidationError("--threshold must be in (0, 1)") }
        if let width { try FlagCheck.width(width) }
        if let tile { try FlagCheck.integer(tile, "--tile", in: 1...Architecture.maximumInputSide) }
        if binarySeg && !dicomSeg { throw ValidationError("--binary-seg goes with --dicom-seg; add --dicom-seg") }
        if dicomSeg && data != nil {
            throw ValidationError("--dicom-seg needs DICOM input files; a prepared dataset's images are PNGs, so give the DICOM originals instead of --data")
        }
    }

    func run() throws {
        let (replicas, mpi) = try parallel.start()
        do {
            // A Segmentation references its source: read every header before the work, so a PNG
            // input or a header without UIDs fails at once.
            let sources = dicomSeg ? try inputs.map(segmentationSource) : []
            let loaded = try LoadedModel(checkpoint: checkpoint, architecture: arch, width: width)
            guard loaded.model.architecture.isSegmenter else {
                throw TrainingError.checkpoint(checkpoint, "is a classifier; predict needs a segmentation checkpoint")
            }
            let tileSize = tile ?? loaded.size
            do {
                try loaded.model.architecture.validate(inputSize: tileSize)
            } catch {
                throw ValidationError("--tile \(tileSize): \(error)")
            }
            try createOutputFolder(out)
            let predictor = Predictor(model: loaded.model, backend: try engine.makeBackend(), tileSize: tileSize)
            predictor.testTimeFlips = tta
            predictor.maxWholePixels = Predictor.wholeImageLimit(tileSize: tileSize)
            let preprocessing = Preprocessing(policy: preprocessingOptions.policy(base: loaded.preprocessing))
            // Each job: the image (raw files are prepared as training images were and mapped back;
            // a prepared dataset's images are already in the training geometry) and its file stem.
            typealias Job = (predict: () throws -> (image: GrayImage, probability: [Float]), name: String)
            var jobs: [Job] = inputs.map { path in
                ({
                    let prediction = try SourcePrediction.predict(path: path, predictor: predictor,
                                                                  preprocessing: noPreprocessing ? nil : preprocessing)
                    return (prediction.image, prediction.probability)
                }, ((path as NSString).lastPathComponent as NSString).deletingPathExtension)
            }
            if let data {
                let dataset = try PreparedDataset(root: data)
                let entries = dataset.entries(split: Split(rawValue: split)!)
                guard !entries.isEmpty else {
                    throw TrainingError.configuration("\(data): the \(split) split is empty; choose another --split")
                }
                jobs = entries.map { entry in
                    ({
                        let image = try dataset.loadImage(entry)
                        var p = try predictor.probability(image: image.normalized(), width: image.width, height: image.height)
                        PreparedBreastMask.apply(to: &p, image: image, entry: entry)
                        return (image, p)
                    }, entry.id)
                }
            }
            // Process r of N predicts inputs r, r + N, …: the same files as one process, written once.
            let mine = Array(stride(from: replicas.rank, to: jobs.count, by: replicas.count))
            let bar = ProgressBar(label: "predict", total: mine.count, silent: !replicas.isRoot)
            let (overlay, hardMask, cut) = (!noOverlay, mask, Float(threshold))
            // Images run side by side (the network one at a time: Predictor serialises it), so
            // one image's reading, preparing, mapping back and PNG compression overlap another's.
            try ConcurrentJobs.run(count: mine.count, limit: min(4, ProcessInfo.processInfo.activeProcessorCount)) { k in
                let i = mine[k]
                let (image, p) = try jobs[i].predict()
                let stem = out + "/" + jobs[i].name
                try PNG.write(Heatmap.probabilityImage(probability: p, width: image.width, height: image.height),
                              to: stem + "_probability.png")
                if overlay {
                    try PNG.write(Heatmap.overlay(image: image.normalized(), probability: p, width: image.width,
                                                  height: image.height), to: stem + "_heatmap.png")
                }
                if hardMask {
                    try PNG.write(Heatmap.hardMask(probability: p, width: image.width, height: image.height, threshold: cut),
                                  to: stem + "_mask.png")
                }
                if dicomSeg {
                    var description = DICOMSegmentDescription()
                    description.algorithmName = "MammoSeg \(loaded.model.architecture.rawValue)"
                    description.softwareVersion = MammoSeg.configuration.version
                    try DICOMSegmentation(probability: p, source: sources[i], description: description).write(to: stem + "_seg.dcm")
                    if binarySeg {
                        description.seriesNumber += 1
                        description.seriesDescription = "MammoSeg mask at p > \(threshold)"
                        description.contentDescription = "Abnormality at probability above \(threshold)"
                        try DICOMSegmentation(probability: p, source: sources[i], kind: .binary(threshold: Float(threshold)),
                                              description: description).write(to: stem + "_seg_binary.dcm")
                    }
                }
                bar.advance()
            }
            var written = [Double(mine.count)]
            try replicas.sum(&written, "the count of predicted images")
            if replicas.isRoot { print("wrote \(Int(written[0])) \(noOverlay ? "map" : "heatmap")(s) to \(out)") }
            try mpi?.finish()
        } catch let exit as ExitCode {
            throw exit
        } catch {
            if let mpi, mpi.count > 1 { mpi.abort("\(error)") }
            throw fail(error)
        }
    }

    /// The header a Segmentation of `path` copies and references; a clear error for other formats.
    private func segmentationSource(_ path: String) throws -> DICOMSourceReference {
        guard try ImageFile.format(of: path) == .dicom else {
            throw DataError(file: path, "is not a DICOM file, so --dicom-seg has no image to reference; give the DICOM original or drop --dicom-seg")
        }
        return try DICOMSourceReference(path: path)
    }
}
