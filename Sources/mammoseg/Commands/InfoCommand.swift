import ArgumentParser
import Foundation
import MammoData

/// `mammoseg info FILE...`: format, size, encoding and value statistics of image files.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "info",
        abstract: "Describe image files (PNG, DICOM, PGM): format, size, bit depth, encoding, laterality/view, stored-value range.",
        discussion: """
            The format is recognised by content, not by file name. For DICOM the transfer syntax, \
            photometric interpretation and the pixel semantics are shown: modality LUT (rescale or \
            table), every VOI window with its function (LINEAR, LINEAR_EXACT, SIGMOID), VOI LUTs, \
            pixel padding, presentation LUT shape, pixel spacing, frames. The statistics are of the \
            stored values of one frame, before the import transform (see `mammoseg convert --help`). \
            Every file is described even if some fail; the exit status is 1 if any failed.
            """
    )

    @Argument(help: ArgumentHelp("Image files to describe.", valueName: "file"))
    var files: [String]

    @Option(help: ArgumentHelp("Frame of a multi-frame DICOM to describe (1 = first).", valueName: "n"))
    var frame: Int?

    @OptionGroup var limits: ReadLimitOptions

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one image file") }
        if let frame, frame < 1 { throw ValidationError("--frame \(frame): frames are numbered from 1; give --frame 1 or more") }
    }

    func run() throws {
        var failed = false
        for (index, file) in files.enumerated() {
            do {
                let summary = try ImageFile.summary(file, frame: frame)
                print((index > 0 ? "\n" : "") + summary.description)
            } catch {
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                failed = true
            }
        }
        if failed { throw ExitCode(1) }
    }
}
