import ArgumentParser

@main
struct MammoSeg: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "mammoseg",
        abstract: "Dense segmentation of mammograms: train, evaluate and run the study's networks on a CPU.",
        version: "0.1.0",
        subcommands: [
            TrainCommand.self, EvaluateCommand.self, PredictCommand.self, InspectCommand.self, DemoCommand.self,
            SummaryCommand.self, InfoCommand.self, ConvertCommand.self, BenchCommand.self,
        ]
    )
}
