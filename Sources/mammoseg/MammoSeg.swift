import ArgumentParser

@main
struct MammoSeg: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mammoseg",
        abstract: "Dense segmentation of mammograms: train, evaluate and run the study's networks on a CPU.",
        version: "0.1.0",
        subcommands: [
            // data
            SynthCommand.self, ImportCommand.self, InfoCommand.self, ConvertCommand.self,
            // networks
            TrainCommand.self, EvaluateCommand.self, PredictCommand.self, InspectCommand.self, SummaryCommand.self,
            // the study
            CompareCommand.self, ProbeCommand.self,
            // the whole job, and measurements
            DemoCommand.self, BenchCommand.self, LoaderBenchCommand.self, DecodeBenchCommand.self,
        ]
    )
}
