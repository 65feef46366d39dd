import ArgumentParser
import Foundation
import MammoData

/// `mammoseg bench-decode FILE…`: how long decoding a DICOM's pixel data takes, in process.
struct DecodeBenchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-decode",
        abstract: "Time decoding DICOM files (parse + decompress + stored values), in process.",
        discussion: """
            Each file is read into memory once, then decoded --repeat times; the median is \
            printed as `decode file=… syntax=… size=WxH bits=… median_s=… min_s=…`. \
            scripts/bench_decode.py runs this beside pydicom + pylibjpeg on the same files.
            """
    )

    @Argument(help: ArgumentHelp("DICOM files to decode.", valueName: "file")) var files: [String]
    @Option(name: .customLong("repeat"), help: "Decodes per file (the median is reported).") var repetitions = 5

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("name at least one DICOM file") }
        guard (1...1000).contains(repetitions) else { throw ValidationError("--repeat \(repetitions): give 1 to 1000") }
    }

    func run() throws {
        do {
            for path in files {
                let bytes = try DICOMFile.readBytes(path)
                var seconds: [Double] = []
                var file: DICOMFile?
                for _ in 0..<repetitions {
                    let start = DispatchTime.now().uptimeNanoseconds
                    file = try DICOMFile(bytes: bytes, path: path)
                    seconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
                }
                seconds.sort()
                guard let file else { continue }
                print(String(format: "decode file=%@ syntax=%@ size=%dx%d bits=%d median_s=%.4f min_s=%.4f",
                             path, file.transferSyntaxUID, file.columns, file.rows, file.bitsStored,
                             seconds[seconds.count / 2], seconds[0]))
            }
        } catch let error as DataError {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
