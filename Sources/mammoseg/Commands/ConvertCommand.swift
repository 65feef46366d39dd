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
            of OUT (.png, .dcm or .npy).

            A .npy output (DICOM input only) holds the stored values of the frame as they
            are, int32 of shape (rows, columns), before any transform: the decoded pixels,
            to compare with pydicom's pixel_array or load in numpy.

            Import transform of DICOM input (what training sees):
              1. stored values are masked to BitsStored, sign-extended when signed
                 (compressed frames: decoded first - JPEG, JPEG-LS, JPEG 2000, HTJ2K);
              2. modality LUT: x = stored * RescaleSlope + RescaleIntercept, or the
                 Modality LUT Sequence's table;
              3. the whole BitsStored range, through step 2, maps linearly onto
                 0-65535 (16-bit PNG): no clipping, no vendor window;
              4. MONOCHROME1 is inverted so that dense tissue is bright;
              5. padding (PixelPaddingValue ... PixelPaddingRangeLimit) becomes 0.
            With --window, step 3 uses the file's first VOI transform instead: its
            first window through its VOILUTFunction
              LINEAR:       y = clip((x - (c - 0.5)) / (w - 1) + 0.5, 0, 1)
              LINEAR_EXACT: y = clip((x - c) / w + 0.5, 0, 1)
              SIGMOID:      y = 1 / (1 + exp(-4 (x - c) / w))
            or, with no window, the first VOI LUT Sequence table; then * 65535.
            A multi-frame file needs --frame N.

            PGM input is scaled from 0..maxval to the full 8-bit (maxval <= 255) or
            16-bit range. PNG input keeps its stored values (never a gamma curve).

            A .dcm output is a Digital Mammography image (MONOCHROME2, unsigned, 8 or
            16 bits) in the chosen transfer syntax, e.g. to test readers and importers.
            """
    )

    @Argument(help: ArgumentHelp("Input image (DICOM, PGM or PNG).", valueName: "in"))
    var input: String

    @Argument(help: ArgumentHelp("Output file, ending in .png, .dcm or .npy.", valueName: "out"))
    var output: String

    @Flag(help: "Apply the DICOM file's own VOI window (or VOI LUT) instead of the full stored range.")
    var window = false

    @Option(help: ArgumentHelp("Frame of a multi-frame DICOM to convert (1 = first).", valueName: "n"))
    var frame: Int?

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
    private var writesNPY: Bool { output.lowercased().hasSuffix(".npy") }

    func validate() throws {
        let lowercased = output.lowercased()
        guard lowercased.hasSuffix(".png") || lowercased.hasSuffix(".dcm") || writesNPY else {
            throw ValidationError("\(output): unknown output format; name the output file .png, .dcm or .npy")
        }
        if writesNPY && window {
            throw ValidationError("\(output): a .npy output holds the stored values, before any window; drop --window")
        }
        if let frame, frame < 1 { throw ValidationError("--frame \(frame): frames are numbered from 1; give --frame 1 or more") }
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
            if frame != nil && format != .dicom {
                throw DataError(file: input, "--frame needs a DICOM input (this is a \(format.rawValue) file); drop --frame")
            }
            if writesNPY {
                guard format == .dicom else {
                    throw DataError(file: input, "a .npy output holds DICOM stored values, and this is a \(format.rawValue) file; write a .png instead")
                }
                let file = try DICOMFile(path: input, frame: frame)
                try NPY.write(int32: file.storedValues, rows: file.rows, columns: file.columns, to: output)
                return
            }
            let image = format == .dicom ? try DICOMFile(path: input, frame: frame).importedImage(applyWindow: window)
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
