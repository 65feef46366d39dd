import Foundation
import XCTest

/// `mammoseg --help` and every subcommand's `--help` explain themselves: an overview, and a
/// description for every option and argument (the defaults are shown by ArgumentParser).
final class HelpTests: XCTestCase {
    let folder = TemporaryFolder("HelpTests")

    func help(_ arguments: [String]) throws -> String {
        let result = try MammosegProcess.run(arguments + ["--help"], folder: folder.path)
        XCTAssertEqual(result.status, 0, result.stderr)
        return result.stdout
    }

    /// The subcommand names listed under SUBCOMMANDS of the root help.
    func subcommands() throws -> [String] {
        let lines = try help([]).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        guard let start = lines.firstIndex(of: "SUBCOMMANDS:") else { return [] }
        return lines[(start + 1)...].prefix { !$0.isEmpty }.compactMap { line in
            line.hasPrefix("  ") && !line.hasPrefix("   ") ? line.split(separator: " ").first.map(String.init) : nil
        }
    }

    /// Option and argument entries (`  --name <value>`) with no description on their line
    /// or the indented line after it.
    func undescribedEntries(_ text: String) -> [String] {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var missing: [String] = []
        for (index, line) in lines.enumerated() where line.hasPrefix("  -") || line.hasPrefix("  <") {
            let entry = line.trimmingCharacters(in: .whitespaces)
            // ArgumentParser starts descriptions in column 26: on the entry's line when it fits.
            let characters = Array(line)
            let describedInline = characters.count > 26 && characters[25] == " "
                && !String(characters[26...]).trimmingCharacters(in: .whitespaces).isEmpty
            let next = index + 1 < lines.count ? lines[index + 1] : ""
            let describedBelow = next.hasPrefix(String(repeating: " ", count: 10)) && !next.trimmingCharacters(in: .whitespaces).isEmpty
            if !describedInline && !describedBelow { missing.append(entry) }
        }
        return missing
    }

    func testEveryCommandExplainsItself() throws {
        // The check itself finds an undescribed option among described ones.
        XCTAssertEqual(undescribedEntries("OPTIONS:\n  --foo <foo>\n  --bar <bar>             Bar.\n"
                                          + "  --a-very-long-option <value>\n                          Described below.\n"),
                       ["--foo <foo>"])
        let commands = try subcommands()
        for expected in ["train", "evaluate", "predict", "inspect", "demo"] {
            XCTAssertTrue(commands.contains(expected), "\(expected) missing from `mammoseg --help`: \(commands)")
        }
        for command in commands {
            let text = try help([command])
            XCTAssertTrue(text.hasPrefix("OVERVIEW: "), "\(command): \(text.prefix(80))")
            XCTAssertTrue(text.contains("USAGE: mammoseg \(command)"), command)
            XCTAssertEqual(undescribedEntries(text), [], "\(command): options without a description")
        }
    }

    func testMainCommandsDescribeWhatTheyWrite() throws {
        XCTAssertTrue(try help(["train"]).contains("checkpoints/best.safetensors"))
        XCTAssertTrue(try help(["train"]).contains("--resume"))
        XCTAssertTrue(try help(["predict"]).contains("_probability.png"))
        XCTAssertTrue(try help(["evaluate"]).contains("Dice"))
        XCTAssertTrue(try help(["demo"]).contains("report.html"))
    }
}
