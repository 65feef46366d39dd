import ArgumentParser
import Foundation

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
            // reading
            ServeCommand.self,
            // the study
            CompareCommand.self, ProbeCommand.self,
            // deployment
            ExportCommand.self,
            // the whole job, and measurements
            DemoCommand.self, BenchCommand.self, LoaderBenchCommand.self, DecodeBenchCommand.self,
        ]
    )

    /// ArgumentParser's `main`, except that a bad flag is reported like every other error:
    /// one line `error: …` on stderr (status 64, EX_USAGE), not a message plus the usage text,
    /// so scripts and users see the same shape whether a flag or a file is wrong.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            // Help, version and the ExitCode a command throws after printing its own error.
            guard code != .success, !(error is ExitCode) else { exit(withError: error) }
            let lines = message(for: error).split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
            let text = lines.filter { !$0.isEmpty }.joined(separator: "; ")
            FileHandle.standardError.write(Data("error: \(text)\n".utf8))
            Foundation.exit(code.rawValue)
        }
    }
}
