import Foundation
import WordbenchCore

// The benchmark command (`make bench`): each case runs wordbench and, where the issue names one, its reference side
// by side in one run, and prints wall time, peak resident memory and the ratio. Absolute times on a shared machine
// mean little; the ratios and the memory ceilings are what the targets are about.

let arguments = Array(CommandLine.arguments.dropFirst())
let names = BenchmarkCases.all.map(\.name)
if arguments.contains(where: { $0.hasPrefix("-") }) {
  print("usage: wordbench-bench [CASE...]   (run from the repository; no case: all of them)")
  print("cases: \(names.joined(separator: " "))")
  exit(arguments.allSatisfy { $0 == "-h" || $0 == "--help" } ? 0 : 2)
}
let unknown = arguments.filter { !names.contains($0) }
guard unknown.isEmpty else {
  FileHandle.standardError.write(
    Data("no such case: \(unknown.joined(separator: ", ")); cases: \(names.joined(separator: " "))\n".utf8))
  exit(2)
}

/// Runs the chosen cases in a scratch folder of about a gigabyte (run folders, stores, archives), removed when this
/// returns or throws: `exit` skips `defer`, so the folder must be gone before the process exits.
func runCases(_ chosen: [String]) throws -> [BenchmarkRow] {
  let products = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
  let repository = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
  let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("wordbench-bench-\(getpid())")
  try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
  defer { try? FileManager.default.removeItem(at: scratch) }
  let bench = BenchmarkRunner(products: products, repository: repository, scratch: scratch)
  var rows: [BenchmarkRow] = []
  for benchmark in BenchmarkCases.all where chosen.isEmpty || chosen.contains(benchmark.name) {
    FileHandle.standardError.write(Data("running \(benchmark.name)...\n".utf8))
    rows.append(try benchmark.run(bench))
  }
  return rows
}

do {
  let rows = try runCases(arguments)
  print(BenchmarkRow.table(rows))
  exit(rows.allSatisfy(\.passed) ? 0 : 1)
} catch {
  FileHandle.standardError.write(Data("wordbench-bench: \(error)\n".utf8))
  exit(1)
}
