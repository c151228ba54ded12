import Foundation
import WordbenchCore

/// `wordbench-crashtest`: proves the pipeline survives. `make crashtest` runs the crash-injection test with 120 kills
/// over 2,000 words; `make soak` runs the fault soak. Options: `--kills N`, `--words N`, `--batch-size N`,
/// `--seed N`, `--soak`, `--keep` (keep the scratch folder), `--wordbench PATH` (default: beside this binary).
struct Options {
  var kills = 120
  var words = 2000
  var batchSize = 500
  var seed: UInt64 = 7
  var soak = false
  var keep = false
  var wordbench: String?

  init(_ arguments: [String]) throws {
    var rest = arguments[...]
    while let flag = rest.popFirst() {
      func value() throws -> String {
        guard let next = rest.popFirst() else { throw HarnessFailure("\(flag) needs a value") }
        return next
      }
      switch flag {
      case "--kills": kills = Int(try value()) ?? kills
      case "--words": words = Int(try value()) ?? words
      case "--batch-size": batchSize = Int(try value()) ?? batchSize
      case "--seed": seed = UInt64(try value()) ?? seed
      case "--wordbench": wordbench = try value()
      case "--soak": soak = true
      case "--keep": keep = true
      default: throw HarnessFailure("unknown option \(flag)")
      }
    }
  }
}

/// The sample corpus of the checkout this binary was built in (it lives in .build/<config>/).
func sampleCorpus() throws -> URL {
  var folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
  for _ in 0..<5 {
    let candidate = folder.appendingPathComponent("samples/sample-2000.txt")
    if FileManager.default.fileExists(atPath: candidate.path) { return candidate }
    folder.deleteLastPathComponent()
  }
  let here = URL(fileURLWithPath: FileManager.default.currentDirectoryPath).appendingPathComponent(
    "samples/sample-2000.txt")
  guard FileManager.default.fileExists(atPath: here.path) else {
    throw HarnessFailure("cannot find samples/sample-2000.txt; run from the wordbench checkout")
  }
  return here
}

/// The corpus of a proof: the sample corpus, topped up with WordNet's nouns (plain lowercase words) until the
/// filter-free selection has `words` words to take, with a third more to spare.
func corpus(words: Int, in scratch: URL) throws -> URL {
  let sample = try String(contentsOf: try sampleCorpus(), encoding: .utf8).split(separator: "\n").map(String.init)
  var seen = Set(sample)
  var lines = sample
  let wordNet = ProcessInfo.processInfo.environment["WORDNET_DIR"] ?? "/usr/share/wordnet"
  let nouns = try String(contentsOfFile: "\(wordNet)/index.noun", encoding: .utf8)
  for line in nouns.split(separator: "\n") where lines.count < words + words / 3 {
    guard let lemma = line.split(separator: " ").first, !line.hasPrefix(" "), (4...12).contains(lemma.count),
      lemma.allSatisfy({ $0 >= "a" && $0 <= "z" }), seen.insert(String(lemma)).inserted
    else { continue }
    lines.append(String(lemma))
  }
  let url = scratch.appendingPathComponent("corpus.txt")
  try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
  return url
}

/// Runs the chosen check in a scratch folder, removed when it returns or throws (unless `--keep`): `exit` skips
/// `defer`, so the folder must be gone before the process exits.
func runCheck(_ options: Options) async throws -> Bool {
  let binary =
    options.wordbench
    ?? URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
    .appendingPathComponent("wordbench").path
  let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
    "wordbench-crashtest-\(UUID().uuidString)")
  try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
  defer { if !options.keep { try? FileManager.default.removeItem(at: scratch) } }
  let setup = PipelineSetup(
    words: options.words, batchSize: options.batchSize, seed: options.seed, wordbench: binary,
    corpus: try corpus(words: options.words, in: scratch), scratch: scratch)
  let problems: [String]
  if options.soak {
    let report = try await FaultSoak(setup: setup).run()
    print(report.text)
    problems = report.problems
  } else {
    let report = try await CrashTest(kills: options.kills, setup: setup).run()
    print(report.text)
    problems = report.problems
  }
  if options.keep { print("scratch kept in \(scratch.path)") }
  return problems.isEmpty
}

do {
  let passed = try await runCheck(try Options(Array(CommandLine.arguments.dropFirst())))
  exit(passed ? 0 : 1)
} catch {
  FileHandle.standardError.write(Data("wordbench-crashtest: \(error)\n".utf8))
  exit(2)
}
