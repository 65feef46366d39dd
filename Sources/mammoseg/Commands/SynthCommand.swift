import ArgumentParser
import Foundation
import MammoData

/// `mammoseg synth`: writes a prepared dataset of synthetic mammograms.
struct SynthCommand: ParsableCommand {
    enum Format: String, ExpressibleByArgument, CaseIterable { case png, dicom }

    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Write a prepared dataset of synthetic mammograms (phantoms with exact lesion masks).",
        discussion: """
            Phantoms are projections of a compressed breast: skin line, fibroglandular compartments with \
            Cooper's ligaments filled with thresholded power-law texture in 2-4 layers, vessels, a duct tree, \
            pectoral muscle on MLO views; masses as dense as gland (random-sphere outlines, spicules) and \
            calcification clusters; mass-like confounders (summation, dense islands, lymph nodes) in half the \
            normal images, their masks in OUT/confounders/; film artifacts outside the breast in some images; \
            blur, noise, log/LUT, 12-16-bit quantisation. About half normal. Same seed, same bytes. Prints \
            the best single global-threshold Dice on the positives (the baseline any network must beat) and, \
            with --realism, the tissue CV and spectral exponent beta of 64-px patches against real CBIS-DDSM.
            """
    )

    @Option(help: "Output dataset folder.") var out: String
    @Option(help: "Number of images (two per patient: CC and MLO).") var count = 400
    @Option(help: "Image side in pixels (square images).") var size = 256
    @Option(help: "Fraction of images without lesions.") var normalFraction = 0.5
    @Option(help: "Seed: the dataset is a pure function of it and the other options.") var seed: UInt64 = 1
    @Option(help: "Fraction of patients for validation.") var valFraction = 0.1
    @Option(help: "Fraction of patients for test.") var testFraction = 0.2
    @Option(help: "png: the prepared dataset only; dicom: also DICOM copies in OUT/dicom/ (images as acquired, masks) for `import folder`.")
    var format: Format = .png
    @Flag(help: "Replace a dataset already in --out.") var overwrite = false
    @Flag(help: "Measure texture realism (tissue CV and beta of 64-px patches at 512 px) against real mammograms; needs --size 512 or more.")
    var realism = false

    func validate() throws {
        try FlagCheck.integer(count, "--count", in: 1...1_000_000)
        try FlagCheck.integer(size, "--size", in: 32...SyntheticDataset.maximumSize)
        if realism, size < TextureRealism.longerSide {
            throw ValidationError("--realism measures at \(TextureRealism.longerSide) px; use --size \(TextureRealism.longerSide) or more (got \(size))")
        }
        guard (0...1).contains(normalFraction) else { throw ValidationError("--normal-fraction must be in 0...1 (got \(normalFraction))") }
        guard valFraction >= 0, testFraction >= 0, valFraction + testFraction < 1 else {
            throw ValidationError("--val-fraction and --test-fraction must be ≥ 0 and leave some training patients")
        }
    }

    func run() throws {
        var options = SyntheticDataset.Options()
        options.count = count; options.size = size; options.normalFraction = normalFraction; options.seed = seed
        options.valFraction = valFraction; options.testFraction = testFraction; options.writeDICOM = format == .dicom
        options.measureRealism = realism
        let log = ImportLog(showProgress: isatty(STDERR_FILENO) != 0)
        log.begin(total: count)
        let start = Date()
        do {
            let summary = try SyntheticDataset.write(to: out, options: options, overwrite: overwrite, progress: { log.advance() })
            log.finish()
            let seconds = Date().timeIntervalSince(start)
            print(log.summary(summary.entries, into: out) + String(format: " in %.1f s", seconds))
            print(String(format: "baseline: best single global threshold Dice on positive images = %.3f", summary.thresholdBaselineDice))
            print("confounders: \(summary.imagesWithConfounders) images (masks in \(out)/\(PreparedDataset.confounderFolder)/); "
                + "film artifacts: \(summary.imagesWithFilmArtifacts) images")
            if let realism = summary.realism { print(realism.text) }
        } catch {
            log.finish()
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
