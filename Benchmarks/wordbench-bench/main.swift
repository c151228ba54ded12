import Foundation
import WordbenchCore

// The benchmark command (`make bench`): each case runs wordbench and, where the issue names one, its reference side
// by side in one run, and prints wall time, peak resident memory and the ratio. Absolute times on a shared machine
// mean little; the ratios and the memory ceilings are what the targets are about.

let arguments = Array(CommandLine.arguments.dropFirst())
let products = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
let repository = URL(fileURLWithPath: FileManager.default.currentDirectoryPath)
let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("wordbench-bench-\(getpid())")
try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
defer { try? FileManager.default.removeItem(at: scratch) }

let bench = BenchmarkRunner(products: products, repository: repository, scratch: scratch)
let cases = BenchmarkCases.all.filter { arguments.isEmpty || arguments.contains($0.name) }
var rows: [BenchmarkRow] = []
for benchmark in cases {
  FileHandle.standardError.write(Data("running \(benchmark.name)...\n".utf8))
  rows.append(try benchmark.run(bench))
}
print(BenchmarkRow.table(rows))
if rows.contains(where: { !$0.passed }) { exit(1) }
