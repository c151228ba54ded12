import Foundation

/// Wall time and peak resident memory of one finished child process.
struct Measurement {
  var seconds: Double
  var peakMegabytes: Double
  var status: Int32

  /// Runs `executable` to the end with output discarded, through GNU time, which reports its peak resident memory.
  /// Paths in `arguments` should be absolute: the child runs in the harness's current folder.
  ///
  /// Why not `wait4`'s own figure: posix_spawn starts the child on the harness's memory (vfork), and Linux carries
  /// that memory's high-water mark into the child's `ru_maxrss` across exec, so every child would look at least as
  /// big as the harness. GNU time forks a fresh small process for the program, so its figure is the program's own.
  static func run(_ executable: String, _ arguments: [String]) throws -> Measurement {
    let time = "/usr/bin/time"
    guard FileManager.default.isExecutableFile(atPath: time) else {
      throw BenchmarkError.missing("\(time) (Debian package time)")
    }
    let report = FileManager.default.temporaryDirectory.appendingPathComponent("wordbench-time-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: report) }
    var pid: pid_t = 0
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    let argv = ([time, "-f", "%M", "-o", report.path, executable] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    // What the steps before wrote (a fetched run is over a gigabyte) is flushed first: otherwise the kernel writes it
    // back while the first measured side runs, and the sides are not compared on equal terms.
    sync()
    let start = Date()
    let spawned = posix_spawn(&pid, time, &actions, nil, argv, environ)
    guard spawned == 0 else { throw BenchmarkError.cannotStart(executable, spawned) }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    let seconds = Date().timeIntervalSince(start)
    let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    // GNU time writes "Command exited with non-zero status N" before the figure when the program fails.
    let text = (try? String(contentsOf: report, encoding: .utf8)) ?? ""
    let kilobytes = text.split(separator: "\n").last.flatMap { Double($0.trimmingCharacters(in: .whitespaces)) } ?? 0
    return Measurement(seconds: seconds, peakMegabytes: kilobytes / 1024, status: exitStatus)
  }
}

extension Measurement {
  /// The run of median wall time among `count` runs (the first failing run, if one fails). For cases of well under
  /// a second, where one run on a shared machine can be off by a third; both sides of such a case are measured so.
  static func median(of count: Int, _ run: () throws -> Measurement) rethrows -> Measurement {
    var runs: [Measurement] = []
    for _ in 0..<count {
      let measurement = try run()
      if measurement.status != 0 { return measurement }
      runs.append(measurement)
    }
    return median(runs)
  }

  /// The run of median time, or the first that failed.
  static func median(_ runs: [Measurement]) -> Measurement {
    if let failed = runs.first(where: { $0.status != 0 }) { return failed }
    return runs.sorted { $0.seconds < $1.seconds }[runs.count / 2]
  }
}

enum BenchmarkError: Error, CustomStringConvertible {
  case cannotStart(String, Int32)
  case failed(String, Int32)
  case missing(String)

  var description: String {
    switch self {
    case .cannotStart(let program, let code): "cannot start \(program): \(String(cString: strerror(code)))"
    case .failed(let program, let status): "\(program) exited with status \(status)"
    case .missing(let what): "missing \(what)"
    }
  }
}
