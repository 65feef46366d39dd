import Engine
import Foundation
import XCTest

/// `mpirun -np 2 mammoseg train`: data-parallel training (issue 18). Two processes with
/// --batch 2 and --sync-batchnorm must end where one process with --batch 4 ends, and a
/// process that dies or hangs must end the whole job quickly with a non-zero status.
final class DistributedTrainCommandTests: XCTestCase {
    static let folder = TemporaryFolder("DistributedTrainCommandTests")
    static var data: String { folder.join("data") }

    override class func tearDown() { try? FileManager.default.removeItem(atPath: folder.path) }

    func dataset() throws -> String {
        if !FileManager.default.fileExists(atPath: Self.data + "/manifest.csv") { try TinyDataset.write(to: Self.data) }
        return Self.data
    }

    func trainArguments(out: String, batch: Int, epochs: Int) throws -> [String] {
        ["train", "--data", try dataset(), "--out", out, "--arch", "dilated-resize", "--width", "0.0625", "--size", "64",
         "--batch", String(batch), "--epochs", String(epochs), "--seed", "11", "--threads", "1"]
    }

    func testTwoProcessesWithSyncBatchNormEndWithOneProcessWeights() throws {
        let single = Self.folder.join("single"), parallel = Self.folder.join("parallel")
        let one = try MammosegProcess.run(trainArguments(out: single, batch: 4, epochs: 2), folder: Self.folder.path)
        XCTAssertEqual(one.status, 0, one.stderr)
        let two = try MPIRun.run(processes: 2, trainArguments(out: parallel, batch: 2, epochs: 2) + ["--sync-batchnorm"],
                                 folder: Self.folder.path)
        XCTAssertEqual(two.status, 0, two.stdout + two.stderr)
        XCTAssertTrue(two.stderr.contains("2 processes × batch 2 = effective batch 4"), two.stderr)
        let log = try String(contentsOfFile: parallel + "/log.txt", encoding: .utf8)
        XCTAssertTrue(log.contains("effective batch 4"), log)

        let a = try Checkpoint.load(single + "/checkpoints/epoch-002.safetensors")
        let b = try Checkpoint.load(parallel + "/checkpoints/epoch-002.safetensors")
        let tensorsA = a.tensors.merging(a.optimizerState) { x, _ in x }
        let tensorsB = b.tensors.merging(b.optimizerState) { x, _ in x }
        XCTAssertEqual(Set(tensorsA.keys), Set(tensorsB.keys))
        XCTAssertGreaterThan(tensorsA.count, 20)
        var worst = (name: "", ratio: 0.0)
        for (name, x) in tensorsA {
            guard let y = tensorsB[name] else { continue }
            XCTAssertEqual(x.shape, y.shape, name)
            let largest = Double(x.scalars.map(abs).max() ?? 0)
            let difference = Double(zip(x.scalars, y.scalars).map { abs($0 - $1) }.max() ?? 0)
            XCTAssertLessThanOrEqual(difference, 1e-3 * largest, "\(name): max |a − b| \(difference), max |a| \(largest)")
            if largest > 0, difference / largest > worst.ratio { worst = (name, difference / largest) }
        }
        print("largest relative difference: \(worst.name) \(worst.ratio)")
        // Both ran 2 epochs × ⌈train images / 4⌉ Adam steps.
        XCTAssertEqual(tensorsA[Adam.stepStateName]?.scalars, tensorsB[Adam.stepStateName]?.scalars)
        XCTAssertEqual(b.metadata["epoch"], "2")
    }

    /// `predict` and `evaluate` shard their images across the processes: the same files and the same report.
    func testPredictAndEvaluateUnderMPIMatchOneProcess() throws {
        let run = Self.folder.join("for-inference")
        let trained = try MammosegProcess.run(trainArguments(out: run, batch: 4, epochs: 1), folder: Self.folder.path)
        XCTAssertEqual(trained.status, 0, trained.stderr)
        let checkpoint = run + "/checkpoints/epoch-001.safetensors"
        let one = Self.folder.join("predict-one"), two = Self.folder.join("predict-two")
        let predict = ["predict", "--checkpoint", checkpoint, "--data", try dataset(), "--split", "val", "--threads", "1"]
        let single = try MammosegProcess.run(predict + ["--out", one], folder: Self.folder.path)
        XCTAssertEqual(single.status, 0, single.stderr)
        let sharded = try MPIRun.run(processes: 2, predict + ["--out", two], folder: Self.folder.path)
        XCTAssertEqual(sharded.status, 0, sharded.stderr)
        let names = try FileManager.default.contentsOfDirectory(atPath: one).sorted()
        XCTAssertGreaterThanOrEqual(names.count, 4, "two files per validation image")
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: two).sorted(), names)
        for name in names {
            XCTAssertEqual(FileManager.default.contents(atPath: one + "/" + name), FileManager.default.contents(atPath: two + "/" + name), name)
        }
        XCTAssertTrue(sharded.stdout.contains("wrote \(names.count / 2) heatmap(s)"), sharded.stdout)

        let evaluate = ["evaluate", "--checkpoint", checkpoint, "--data", try dataset(), "--split", "val", "--threads", "1"]
        let jsonOne = Self.folder.join("one.json"), jsonTwo = Self.folder.join("two.json")
        XCTAssertEqual(try MammosegProcess.run(evaluate + ["--json", jsonOne], folder: Self.folder.path).status, 0)
        let reduced = try MPIRun.run(processes: 2, evaluate + ["--json", jsonTwo], folder: Self.folder.path)
        XCTAssertEqual(reduced.status, 0, reduced.stderr)
        let report = try XCTUnwrap(FileManager.default.contents(atPath: jsonOne))
        XCTAssertEqual(FileManager.default.contents(atPath: jsonTwo), report, "the report of all images, written once by process 0")
    }

    func testAProcessKilledMidEpochEndsTheJobWithinAMinute() throws {
        let out = Self.folder.join("killed")
        let job = try MPIRun(processes: 2, trainArguments(out: out, batch: 2, epochs: 200), folder: Self.folder.path, name: "killed")
        let started = eventually(within: 300) { job.stderrSoFar.contains("epoch 1/200 [") || !job.process.isRunning }
        XCTAssertTrue(started && job.process.isRunning, "training did not start: \(job.stderrSoFar)")
        let victim = try XCTUnwrap(job.rankProcess(1), "no process of rank 1 under mpirun")
        let killedAt = Date()
        kill(victim, SIGKILL)
        let ended = eventually(within: 60) { !job.process.isRunning }
        if !ended { job.process.terminate() }
        let result = job.wait()
        XCTAssertTrue(ended, "the job still ran 60 s after a process was killed")
        XCTAssertNotEqual(result.status, 0, "a job that lost a process must fail")
        print("job ended \(String(format: "%.1f", Date().timeIntervalSince(killedAt))) s after SIGKILL")
    }

    /// A process that stops answering (SIGSTOP: alive, so the launcher sees nothing wrong) is
    /// caught by the collective deadline of the others, which abort the job with one clear line.
    func testAProcessThatHangsEndsTheJobAtTheCollectiveDeadline() throws {
        let out = Self.folder.join("hung")
        let job = try MPIRun(processes: 2, trainArguments(out: out, batch: 2, epochs: 200) + ["--collective-timeout", "5"],
                             folder: Self.folder.path, name: "hung")
        let started = eventually(within: 300) { job.stderrSoFar.contains("epoch 1/200 [") || !job.process.isRunning }
        XCTAssertTrue(started && job.process.isRunning, "training did not start: \(job.stderrSoFar)")
        let victim = try XCTUnwrap(job.rankProcess(1), "no process of rank 1 under mpirun")
        kill(victim, SIGSTOP)
        let ended = eventually(within: 60) { !job.process.isRunning }
        if !ended { kill(victim, SIGKILL); job.process.terminate() }
        let result = job.wait()
        XCTAssertTrue(ended, "the job still ran 60 s after a process hung")
        XCTAssertNotEqual(result.status, 0)
        XCTAssertTrue(result.stderr.contains("of 2 waited 5 s for the other processes"), result.stderr)
    }
}

/// `mpirun -np N mammoseg …` as a child process (Open MPI, installed by scripts/setup.sh).
struct MPIRun {
    let process = Process()
    let stdoutPath: String
    let stderrPath: String

    static let launcher = "/usr/bin/mpirun"

    init(processes: Int, _ arguments: [String], folder: String, name: String = UUID().uuidString) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.launcher) else {
            XCTFail("\(Self.launcher) is missing; run scripts/setup.sh (it installs openmpi-bin)")
            throw CocoaError(.fileNoSuchFile)
        }
        stdoutPath = folder + "/\(name).stdout"
        stderrPath = folder + "/\(name).stderr"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        process.executableURL = URL(fileURLWithPath: Self.launcher)
        // As root in a container: allowed explicitly; more processes than cores; the shared-memory
        // transport without the cross-memory-attach single copy that containers forbid.
        process.arguments = ["--allow-run-as-root", "--oversubscribe", "-np", String(processes),
                             "--mca", "btl_vader_single_copy_mechanism", "none",
                             try MammosegProcess.executable().path] + arguments
        process.standardOutput = FileHandle(forWritingAtPath: stdoutPath)
        process.standardError = FileHandle(forWritingAtPath: stderrPath)
        try process.run()
    }

    var stderrSoFar: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

    /// The process id of MPI rank `rank`: a descendant of mpirun whose environment says so.
    func rankProcess(_ rank: Int) -> pid_t? {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for name in names {
            guard let pid = pid_t(name), pid != process.processIdentifier,
                  let environment = FileManager.default.contents(atPath: "/proc/\(pid)/environ") else { continue }
            let variables = environment.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
            guard variables.contains("OMPI_COMM_WORLD_RANK=\(rank)"),
                  isDescendant(pid, of: process.processIdentifier) else { continue }
            return pid
        }
        return nil
    }

    private func isDescendant(_ pid: pid_t, of ancestor: pid_t) -> Bool {
        var current = pid
        for _ in 0..<16 {
            guard let stat = try? String(contentsOfFile: "/proc/\(current)/stat", encoding: .utf8),
                  let close = stat.lastIndex(of: ")") else { return false }
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            guard fields.count > 1, let parent = pid_t(fields[1]) else { return false }
            if parent == ancestor { return true }
            if parent <= 1 { return false }
            current = parent
        }
        return false
    }

    func wait() -> MammosegProcess.Result {
        process.waitUntilExit()
        return MammosegProcess.Result(status: process.terminationStatus, reason: process.terminationReason,
                                      stdout: (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "",
                                      stderr: stderrSoFar)
    }

    static func run(processes: Int, _ arguments: [String], folder: String) throws -> MammosegProcess.Result {
        try MPIRun(processes: processes, arguments, folder: folder).wait()
    }
}
