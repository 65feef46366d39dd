import ArgumentParser
import Engine
import Foundation
import MammoData
import Mammography

struct InspectCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "inspect",
        abstract: "Save a grid of one layer's feature maps for an input image.",
        discussion: """
        Layer names are the reference module names, e.g. encoder.conv5_4, up1, up2, tconv1 (see `mammoseg summary`). \
        Each map is normalised to its own range. The study used such grids to see transpose-convolution artifacts.
        """)

    @Option(help: "Checkpoint (.safetensors).") var checkpoint: String
    @Option(help: "Layer name.") var layer: String
    @Argument(help: "Input image (PNG, DICOM or PGM).") var input: String
    @Option(help: "Output PNG.") var out: String
    @Option(help: "Crop the input's centre to this size first (0 = whole image).") var size: Int = 0
    @Option(help: "Architecture, for checkpoints without MammoSeg metadata.") var arch: String?
    @Option(help: "Width, for checkpoints without MammoSeg metadata.") var width: Double?
    @OptionGroup var engine: BackendOptions
    @OptionGroup var limits: ReadLimitOptions

    func validate() throws {
        try FlagCheck.integer(size, "--size", in: 0...Architecture.maximumInputSide)
        if let width { try FlagCheck.width(width) }
    }

    func run() throws {
        do {
            let loaded = try LoadedModel(checkpoint: checkpoint, architecture: arch, width: width)
            let image = try ImageFile.readGray(input)
            try checkWritable(out)
            let maps = try FeatureMaps.capture(model: loaded.model, backend: engine.makeBackend(), image: image,
                                               layer: layer, cropSize: size)
            let panels = try FigureGrid.featureMaps(maps.values, channels: maps.channels, width: maps.width, height: maps.height)
            let columns = Int(Double(panels.count).squareRoot().rounded(.up))
            try PNG.write(FigureGrid(rows: FigureGrid.rows(of: panels, columns: columns)).render(), to: out)
            print("wrote \(maps.channels) feature maps of \(layer) (\(maps.width)×\(maps.height)) to \(out)")
        } catch let exit as ExitCode {
            throw exit
        } catch {
            throw fail(error)
        }
    }
}
