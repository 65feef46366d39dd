import ArgumentParser
import Foundation
import MammoData

/// `mammoseg convert IN OUT`: any supported image to a PNG (or a DICOM) with the import transform.
struct ConvertCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "convert",
        abstract: "Convert a DICOM, PGM or PNG image to a grayscale PNG (or DICOM), as the importers do.",
        discussion: """
            The input format is recognised by content; the output format by the extension
            of OUT (.png or .dcm).

            Import transform of DICOM input (what training sees):
              1. stored values are masked to BitsStored, sign-extended when signed;
              2. rescale: x = stored * RescaleSlope + RescaleIntercept;
              3. the whole BitsStored range, rescaled the same way, maps linearly
                 onto 0-65535 (16-bit PNG): no clipping, no vendor window;
              4. MONOCHROME1 is inverted so that dense tissue is bright.
            With --window, step 3 uses the file's first VOI window instead:
              y = clip((x - (center - 0.5)) / (width - 1) + 0.5, 0, 1) * 65535.

            PGM input is scaled from 0..maxval to the full 8-bit (maxval <= 255) or
            16-bit range. PNG input keeps its stored values (never a gamma curve).

            A .dcm output is a Digital Mammography image (MONOCHROME2, unsigned, 8 or
            16 bits) in the chosen transfer syntax, e.g. to test readers and importers.
            """
    )

    @Argument(help: ArgumentHelp("Input image (DICOM, PGM or PNG).", valueName: "in"))
    var input: String

    @Argument(help: ArgumentHelp("Output file, ending in .png or .dcm.", valueName: "out"))
    var output: String

    @Flag(help: "Apply the DICOM file's own window (WindowCenter/WindowWidth) instead of the full stored range.")
    var window = false

    @Option(help: ArgumentHelp("Transfer syntax of a .dcm output: explicit-le, implicit-le, explicit-be, deflated or rle.",
                               valueName: "syntax"))
    var transferSyntax: TransferSyntaxName?

    @OptionGroup var limits: ReadLimitOptions

    enum TransferSyntaxName: String, ExpressibleByArgument, CaseIterable {
        case explicitLE = "explicit-le", implicitLE = "implicit-le", explicitBE = "explicit-be", deflated, rle

        var syntax: DICOMTransferSyntax {
            switch self {
            case .explicitLE: return .explicitVRLittleEndian
            case .implicitLE: return .implicitVRLittleEndian
            case .explicitBE: return .explicitVRBigEndian
            case .deflated: return .deflatedExplicitVRLittleEndian
            case .rle: return .rleLossless
            }
        }
    }

    private var writesDICOM: Bool { output.lowercased().hasSuffix(".dcm") }

    func validate() throws {
        let lowercased = output.lowercased()
        guard lowercased.hasSuffix(".png") || lowercased.hasSuffix(".dcm") else {
            throw ValidationError("\(output): unknown output format; name the output file .png or .dcm")
        }
        if transferSyntax != nil && !writesDICOM {
            throw ValidationError("\(output): --transfer-syntax applies to DICOM output only; name the output file .dcm or drop the option")
        }
    }

    func run() throws {
        do {
            let format = try ImageFile.format(of: input)
            if window && format != .dicom {
                throw DataError(file: input, "--window needs a DICOM input (this is a \(format.rawValue) file); drop --window")
            }
            let image = format == .dicom ? try DICOMFile(path: input).importedImage(applyWindow: window)
                                         : try ImageFile.readGray(input)
            if writesDICOM {
                try DICOMWriter.write(image, to: output, transferSyntax: transferSyntax?.syntax ?? .explicitVRLittleEndian)
            } else {
                try PNG.write(image, to: output)
            }
        } catch let error as DataError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
