import Foundation

/// The outcome of a finished child process.
public struct ProcessOutput: Sendable {
  public var status: Int32
  public var stdout: String
  public var stderr: String
  /// True when it was still running at the timeout and was killed then.
  public var timedOut = false
}

/// Starts programs for end-to-end tests, with output captured in files (no pipe can fill up and deadlock).
public final class ChildProcess: @unchecked Sendable {
  // Unchecked: `Process` is not Sendable, but this wrapper only touches it from the owning test.
  private let process = Process()
  private let outputFolder = TemporaryFolder("wordbench-child")

  public init(
    _ executable: URL, _ arguments: [String], environment: [String: String] = [:], currentDirectory: URL? = nil
  ) throws {
    process.executableURL = executable
    process.arguments = arguments
    var merged = ProcessInfo.processInfo.environment
    merged.removeValue(forKey: "WORDBENCH_WORKSPACE")
    for (key, value) in environment { merged[key] = value }
    process.environment = merged
    if let currentDirectory { process.currentDirectoryURL = currentDirectory }
    _ = FileManager.default.createFile(atPath: outputFolder.file("stdout").path, contents: nil)
    _ = FileManager.default.createFile(atPath: outputFolder.file("stderr").path, contents: nil)
    process.standardOutput = try FileHandle(forWritingTo: outputFolder.file("stdout"))
    process.standardError = try FileHandle(forWritingTo: outputFolder.file("stderr"))
    process.standardInput = FileHandle.nullDevice
    try process.run()
  }

  public var pid: Int32 { process.processIdentifier }

  /// The standard output written so far.
  public var stdoutSoFar: String { (try? outputFolder.read("stdout")) ?? "" }

  /// The standard error written so far.
  public var stderrSoFar: String { (try? outputFolder.read("stderr")) ?? "" }

  /// Waits at most `timeout` for the process to end, killing it with SIGKILL past that.
  public func wait(timeout: TimeInterval = 60) -> ProcessOutput {
    let deadline = Date().addingTimeInterval(timeout)
    while process.isRunning && Date() < deadline { usleep(1000) }
    let timedOut = process.isRunning
    if timedOut { Foundation.kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
    return ProcessOutput(
      status: process.terminationStatus, stdout: (try? outputFolder.read("stdout")) ?? "",
      stderr: (try? outputFolder.read("stderr")) ?? "", timedOut: timedOut)
  }

  public func kill(signal: Int32 = SIGKILL) {
    Foundation.kill(process.processIdentifier, signal)
  }

  /// Runs a program to the end.
  public static func run(
    _ executable: URL, _ arguments: [String], environment: [String: String] = [:], currentDirectory: URL? = nil,
    timeout: TimeInterval = 60
  ) throws -> ProcessOutput {
    try ChildProcess(executable, arguments, environment: environment, currentDirectory: currentDirectory)
      .wait(timeout: timeout)
  }
}

/// Where `swift build` put the products (the folder of the test bundle), to find the `wordbench` binary.
public enum BuildProducts {
  public static var folder: URL {
    var candidate = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    for _ in 0..<6 {
      candidate.deleteLastPathComponent()
      if FileManager.default.isExecutableFile(atPath: candidate.appendingPathComponent("wordbench").path) {
        return candidate
      }
    }
    return Bundle.main.bundleURL
  }

  public static var wordbench: URL { folder.appendingPathComponent("wordbench") }
}
