import Foundation

/// Wall time and peak resident memory of one finished child process.
struct Measurement {
  var seconds: Double
  var peakMegabytes: Double
  var status: Int32

  /// Runs `executable` to the end with output discarded, measuring it through `wait4`'s resource usage.
  /// Paths in `arguments` should be absolute: the child runs in the harness's current folder.
  static func run(_ executable: String, _ arguments: [String]) throws -> Measurement {
    var pid: pid_t = 0
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    let start = Date()
    let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
    guard spawned == 0 else { throw BenchmarkError.cannotStart(executable, spawned) }
    var status: Int32 = 0
    var usage = rusage()
    while wait4(pid, &status, 0, &usage) < 0 && errno == EINTR {}
    let seconds = Date().timeIntervalSince(start)
    let exitStatus = (status & 0x7F) == 0 ? (status >> 8) & 0xFF : 128 + (status & 0x7F)
    return Measurement(seconds: seconds, peakMegabytes: Double(usage.ru_maxrss) / 1024, status: exitStatus)
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
