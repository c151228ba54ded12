import Foundation

/// Where the binaries and scripts are, and a scratch folder for inputs and workspaces.
struct BenchmarkRunner {
  let products: URL
  let repository: URL
  let scratch: URL

  var wordbench: String { products.appendingPathComponent("wordbench").path }

  /// Runs wordbench with `arguments` and fails the benchmark if it fails.
  func wordbench(_ arguments: [String]) throws -> Measurement {
    let result = try Measurement.run(wordbench, arguments)
    guard result.status == 0 else {
      throw BenchmarkError.failed("wordbench \(arguments.joined(separator: " "))", result.status)
    }
    return result
  }

  /// The Python interpreter for reference scripts, if there is one.
  var python: String? {
    ["/usr/bin/python3", "/usr/local/bin/python3"].first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  func script(_ name: String) -> String { repository.appendingPathComponent("scripts/bench/\(name)").path }
}

/// One line of the results table.
struct BenchmarkRow {
  var name: String
  var subject: Measurement
  var reference: Measurement?
  var referenceName: String
  /// What the issue asks for, in words, and whether it held.
  var target: String
  var passed: Bool

  static func table(_ rows: [BenchmarkRow]) -> String {
    var text = "case                         wordbench           reference                       ratio   target\n"
    for row in rows {
      let subject = String(format: "%7.2fs %6.1f MB", row.subject.seconds, row.subject.peakMegabytes)
      let reference =
        row.reference.map {
          String(format: "%7.2fs %6.1f MB ", $0.seconds, $0.peakMegabytes)
            + row.referenceName.padding(toLength: 8, withPad: " ", startingAt: 0)
        } ?? "(not run)".padding(toLength: 26, withPad: " ", startingAt: 0)
      let ratio = row.reference.map { String(format: "%5.2fx", row.subject.seconds / $0.seconds) } ?? "    -"
      text +=
        row.name.padding(toLength: 29, withPad: " ", startingAt: 0) + subject + "   " + reference + "   "
        + ratio + "   " + row.target + (row.passed ? "  ok" : "  MISSED") + "\n"
    }
    return text + "ratio = wordbench time / reference time (below 1 means wordbench is faster)\n"
  }
}
