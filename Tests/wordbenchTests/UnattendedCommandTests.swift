import Foundation
import Testing
import WordbenchCore
import WordbenchTestSupport

/// process and scheduler as a user runs them: separate processes, signals and kills.
@Suite("wordbench process and scheduler against the emulator process")
struct UnattendedCommandTests {
  let batches = BatchCommandTests()

  var folder: TemporaryFolder { batches.folder }

  /// A sample workspace and an emulator at `speed` (slow enough that batches still run), and `process` with
  /// `arguments` started against them and waiting for its batches.
  func waitingProcess(speed: String, _ arguments: [String]) async throws
    -> (emulator: ChildProcess, url: String, environment: [String: String], process: ChildProcess)
  {
    let (emulator, url) = try await batches.startEmulator(["--speed", speed])
    let environment = ["OPENAI_API_KEY": "sk-e2e-secret", "OPENAI_BASE_URL": url]
    try batches.sampleWorkspace()
    let process = try ChildProcess(
      BuildProducts.wordbench, ["process"] + arguments + ["--workspace", "w"], environment: environment,
      currentDirectory: folder.url)
    for _ in 0..<500 where !process.stdoutSoFar.contains("Overall:") {
      try await Task.sleep(for: .milliseconds(20))
    }
    return (emulator, url, environment, process)
  }

  @Test("a process killed while it waits is finished by process --resume, sending nothing twice")
  func killedProcess() async throws {
    let (emulator, url, environment, victim) = try await waitingProcess(
      speed: "2", ["--words", "60", "--batch-size", "20", "--poll-interval", "1"])
    defer { emulator.kill() }
    #expect(victim.stdoutSoFar.contains("wordbench process --resume r0001"), "\(victim.stdoutSoFar)")
    victim.kill()
    _ = victim.wait()
    #expect(try await batches.objects(url) == (3, 3))

    let resumed = try batches.wordbench(
      ["process", "--resume", "r1", "--poll-interval", "1", "--workspace", "w", "--output-dir", "out"],
      environment: environment)
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(resumed.stdout.contains("Summary of r0001: 60 merged, 0 rejected, 0 failed"), "\(resumed.stdout)")
    #expect(try await batches.objects(url) == (3, 3), "no shard was sent twice")
    #expect(try folder.read("out/r0001.entries.jsonl").split(separator: "\n").count == 60)
    let flags = try batches.wordbench(["process", "--resume", "r1", "--words", "5", "--workspace", "w"])
    #expect(flags.status == 64 || flags.status == 2, "--resume takes no --words")
  }

  @Test("Ctrl-C stops a waiting process between steps, with the command that goes on")
  func interruptedProcess() async throws {
    let (emulator, _, _, process) = try await waitingProcess(
      speed: "0.01", ["--words", "20", "--batch-size", "10", "--poll-interval", "30"])
    defer { emulator.kill() }
    process.kill(signal: SIGINT)
    let ended = process.wait(timeout: 20)
    #expect(ended.status == 0 && !ended.timedOut, "\(ended.stderr)")
    #expect(ended.stdout.contains("Stopped on request") && ended.stdout.contains("--resume r0001"), "\(ended.stdout)")
    #expect(ended.stderr.contains("stopping after the step under way"))
  }

  @Test("scheduler start waits, shows WAITING, and stops cleanly on SIGTERM")
  func startAndStop() async throws {
    let (emulator, url) = try await batches.startEmulator(["--speed", "1000"])
    defer { emulator.kill() }
    let environment = ["OPENAI_API_KEY": "sk-e2e-secret", "OPENAI_BASE_URL": url]
    try batches.sampleWorkspace()
    let scheduler = try ChildProcess(
      BuildProducts.wordbench,
      ["scheduler", "start", "--frequency", "daily", "--max-words", "100", "--workspace", "w"],
      environment: environment, currentDirectory: folder.url)
    var status = ""
    for _ in 0..<500 {
      status = try batches.wordbench(["scheduler", "status", "--workspace", "w"]).stdout
      if status.contains("WAITING") { break }
      try await Task.sleep(for: .milliseconds(20))
    }
    #expect(status.contains("Scheduler Status: WAITING") && status.contains("Words processed: 0 / 100"), "\(status)")
    #expect(status.contains("Next run: "))
    scheduler.kill(signal: SIGTERM)
    let ended = scheduler.wait()
    #expect(ended.status == 0 && ended.stdout.contains("Scheduler stopped."), "\(ended.stderr)")
    let after = try batches.wordbench(["scheduler", "status", "--workspace", "w", "--json"])
    #expect(after.stdout.contains("\"status\" : \"STOPPED\""), "\(after.stdout)")

    let once = try batches.wordbench(
      ["scheduler", "run-once", "--words", "30", "--batch-size", "15", "--workspace", "w"], environment: environment)
    #expect(once.status == 0 && once.stdout.contains("r0001: prepared and sent"), "\(once.stderr)")
    let reset = try batches.wordbench(["scheduler", "reset-state", "--workspace", "w"])
    #expect(reset.status == 2 && reset.stderr.contains("--yes"), "no terminal to ask on")
    #expect(try batches.wordbench(["scheduler", "reset-state", "--yes", "--workspace", "w"]).status == 0)
  }
}
