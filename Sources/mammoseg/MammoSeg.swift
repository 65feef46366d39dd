import ArgumentParser

@main
struct MammoSeg: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mammoseg",
        abstract: "Dense segmentation of mammograms: train, evaluate and run the study's networks on a CPU.",
        version: "0.1.0",
        subcommands: [InfoCommand.self, ConvertCommand.self, SynthCommand.self, ImportCommand.self, LoaderBenchCommand.self]
    )
}
