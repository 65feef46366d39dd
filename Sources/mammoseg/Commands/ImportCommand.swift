import ArgumentParser
import Foundation
import MammoData

/// `mammoseg import <source>`: turns a public archive or a plain folder into a prepared dataset.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import CBIS-DDSM, mini-MIAS, INbreast, VinDr-Mammo or a folder of images and masks into a prepared dataset.",
        discussion: """
            Output: DATASET/manifest.csv, images/ID.png (16-bit, chest wall at the left edge), \
            masks/ID.png (8-bit 0/255), dataset.json. Splits are by patient; no patient is in two splits. \
            Every image is prepared as `predict` prepares a raw file: breast mask (labels, borders and \
            background become 0), chest wall left, crop to the breast, longest side 640 (--longest-side), \
            with the per-image transform in the manifest; --scale or --no-preprocessing keep the whole image.
            """,
        subcommands: [CBISDDSM.self, MIAS.self, INbreast.self, VinDr.self, Folder.self]
    )

    /// Options every importer takes.
    struct Common: ParsableArguments {
        @Option(help: "Output dataset folder.") var out: String
        @Option(help: "Scale so the longer side has N pixels (area average for images, nearest for masks).")
        var longestSide: Int?
        @Option(help: "Scale both sides by this factor instead.") var scale: Double?
        @Option(help: "Seed of the patient split.") var seed: UInt64 = 1
        @Option(help: "Fraction of patients for validation.") var valFraction = 0.1
        @Flag(help: "Replace a dataset already in --out.") var overwrite = false
        @Flag(help: "No progress bar.") var quiet = false
        @OptionGroup var limits: ReadLimitOptions
        @OptionGroup var preprocessing: PreprocessingOptions
        @Flag(help: "No breast mask or crop: mirror and scale (--longest-side, --scale) only.") var noPreprocessing = false

        func validate() throws {
            if longestSide != nil && scale != nil { throw ValidationError("give --longest-side or --scale, not both") }
            if let longestSide { try FlagCheck.integer(longestSide, "--longest-side", in: 8...65536) }
            if let scale, !(scale > 0 && scale <= 4) { throw ValidationError("--scale must be in (0, 4] (got \(scale))") }
            guard (0..<1).contains(valFraction) else { throw ValidationError("--val-fraction must be in [0, 1) (got \(valFraction))") }
        }

        /// For importers that draw their own test split: the fraction must leave training patients.
        func validate(testFraction: Double) throws {
            guard testFraction >= 0, testFraction + valFraction < 1 else {
                throw ValidationError("--test-fraction must be ≥ 0 and leave some training patients")
            }
        }

        func options(testFraction: Double = 0) -> ImportOptions {
            let scaling: Resampling.Scale = longestSide.map { .longestSide($0) } ?? scale.map { .factor($0) } ?? .original
            var policy = preprocessing.policy(base: .standard)
            if let longestSide { policy.targetLongestSide = longestSide }
            return ImportOptions(scale: scaling, seed: seed, valFraction: valFraction, testFraction: testFraction, overwrite: overwrite,
                                 preprocessing: noPreprocessing || scale != nil ? nil : policy)
        }

        /// Runs an importer with a log on stderr and prints the one-line summary.
        func run(_ body: (ImportLog) throws -> [DatasetEntry]) throws {
            let log = ImportLog(showProgress: !quiet && isatty(STDERR_FILENO) != 0)
            do {
                let entries = try body(log)
                print(log.summary(entries, into: out))
            } catch {
                log.finish()
                FileHandle.standardError.write(Data("error: \(error)\n".utf8))
                throw ExitCode(1)
            }
        }
    }

    struct CBISDDSM: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "cbis-ddsm",
            abstract: "Import CBIS-DDSM (TCIA): description CSVs plus DICOMs, CSV-era or NBIA-retriever layout.",
            discussion: """
                Masks are chosen by content (8-bit {0,255}, about the image's size), several abnormalities \
                on one image are unioned (label malignant if any), a mask of another size is resized when \
                its aspect matches within 1 % and skipped otherwise. The official train/test split is kept \
                and validation carved from train by patient (P_xxxxx).
                """
        )
        @Option(help: "Folder holding the download and the *case_description*.csv files.") var root: String
        @Option(help: "Optional folder of normal images (DICOM, PNG, PGM).") var normals: String?
        @OptionGroup var common: Common

        func run() throws {
            try common.run { log in
                try CBISDDSMImporter(root: root, normals: normals, options: common.options(testFraction: 0.2))
                    .run(into: common.out, log: log)
            }
        }
    }

    struct MIAS: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "mias",
            abstract: "Import mini-MIAS: Info.txt and mdbNNN.pgm; lesion circles become disc masks.",
            discussion: "Coordinates count from the bottom-left corner (row = height − 1 − y). Diffuse calcifications without coordinates are skipped."
        )
        @Option(help: "Folder holding Info.txt and the PGM images.") var root: String
        @Option(help: "Fraction of patients for test.") var testFraction = 0.2
        @OptionGroup var common: Common

        func validate() throws { try common.validate(testFraction: testFraction) }

        func run() throws {
            try common.run { log in
                try MIASImporter(root: root, options: common.options(testFraction: testFraction)).run(into: common.out, log: log)
            }
        }
    }

    struct INbreast: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "inbreast",
            abstract: "Import INbreast: AllDICOMs/*.dcm, AllXML/*.xml contours and INbreast.csv (';'-separated).",
            discussion: """
                Mass and calcification contours are filled; single-point calcifications become small discs. \
                INbreast has no pathology: the label is a BI-RADS proxy (1 normal, 2-3 benign, 4-6 malignant). \
                Patients are grouped by the CSV's Patient ID when given, else by the <hash> token of the file \
                names, and split with the seed.
                """
        )
        @Option(help: "Folder holding INbreast.csv, AllDICOMs/ and AllXML/.") var root: String
        @Option(help: "Fraction of patients for test.") var testFraction = 0.2
        @Flag(help: "Also draw ROIs other than masses and calcifications (asymmetry, distortion, …), as their own lesion type.")
        var includeOtherFindings = false
        @OptionGroup var common: Common

        func validate() throws { try common.validate(testFraction: testFraction) }

        func run() throws {
            try common.run { log in
                try INbreastImporter(root: root, options: common.options(testFraction: testFraction),
                                     includeOtherFindings: includeOtherFindings).run(into: common.out, log: log)
            }
        }
    }

    struct VinDr: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "vindr",
            abstract: "Import VinDr-Mammo: images/<study>/<image>.dicom, breast-level_annotations.csv, finding_annotations.csv.",
            discussion: """
                VinDr-Mammo has boxes only: masks are the filled boxes and lesion types end in -box. Masses and \
                calcifications are lesions; other findings only with --include-other-findings. The label is a \
                BI-RADS proxy; the official training/test split is kept and validation carved from training by study.
                """
        )
        @Option(help: "Folder holding images/ and the two annotation CSVs.") var root: String
        @Flag(help: "Also draw findings other than masses and calcifications (asymmetry, distortion, …), as their own lesion type.")
        var includeOtherFindings = false
        @OptionGroup var common: Common

        func run() throws {
            try common.run { log in
                try VinDrImporter(root: root, options: common.options(testFraction: 0),
                                  includeOtherFindings: includeOtherFindings).run(into: common.out, log: log)
            }
        }
    }

    struct Folder: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "folder",
            abstract: "Import a folder of images (PNG, DICOM, PGM) with masks matched by file stem; images without a mask are normal.",
            discussion: """
                Images are grouped by woman for the split: by a P_NNNNN token of the file name, else the DICOM \
                PatientID reduced to the woman (CBIS-DDSM's per-view 'Mass-Test_P_00173_LEFT_CC' → P_00173), \
                else the file stem; or by --patient-tag / --patient-pattern. Laterality and view come from the \
                header, else from the PatientID or the path (_L_CC, LEFT_MLO), laterality last from the image.
                """
        )
        @Option(help: "Folder of images.") var images: String
        @Option(help: "Folder of masks (non-zero = lesion), named like their images (or NAME_mask).") var masks: String?
        @Option(help: "Fraction of patients for test.") var testFraction = 0.2
        @Option(help: "DICOM attribute naming the woman: a keyword (PatientID, StudyInstanceUID, …) or gggg,eeee.")
        var patientTag: String?
        @Option(help: "Regular expression with one capture group, applied to each image's path under --images, naming the woman.")
        var patientPattern: String?
        @OptionGroup var common: Common

        func validate() throws {
            try common.validate(testFraction: testFraction)
            if patientTag != nil && patientPattern != nil { throw ValidationError("give --patient-tag or --patient-pattern, not both") }
        }

        func run() throws {
            let rule: FolderImporter.PatientRule = patientTag.map { .tag($0) } ?? patientPattern.map { .pattern($0) } ?? .automatic
            try common.run { log in
                try FolderImporter(images: images, masks: masks, options: common.options(testFraction: testFraction),
                                   patientRule: rule).run(into: common.out, log: log)
            }
        }
    }
}
