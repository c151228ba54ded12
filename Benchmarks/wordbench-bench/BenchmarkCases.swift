import Foundation

/// A benchmark case: what it sets up, what it measures, and the target it checks.
struct BenchmarkCase: Sendable {
  var name: String
  var run: @Sendable (BenchmarkRunner) throws -> BenchmarkRow
}

enum BenchmarkCases {
  static let all: [BenchmarkCase] = [corpusImport]

  /// Issue 2: a 1,000,000-line corpus imports with under 100 MB resident memory; side by side with the obvious
  /// Python equivalent.
  static let corpusImport = BenchmarkCase(name: "corpus-import-1m") { bench in
    let input = bench.scratch.appendingPathComponent("corpus-1m.txt")
    try CorpusGenerator.write(lines: 1_000_000, to: input)
    let workspace = bench.scratch.appendingPathComponent("bench-ws").path
    _ = try bench.wordbench(["init", "bench", "--path", workspace])
    let subject = try bench.wordbench(["corpus", "import", input.path, "--workspace", workspace])
    var reference: Measurement?
    if let python = bench.python {
      reference = try Measurement.run(
        python,
        [
          bench.script("corpus_import_reference.py"), input.path,
          bench.scratch.appendingPathComponent("ref.sqlite").path,
          bench.scratch.appendingPathComponent("ref-words.txt").path,
        ])
    }
    return BenchmarkRow(
      name: "corpus-import-1m", subject: subject, reference: reference, referenceName: "python3",
      target: "< 100 MB resident", passed: subject.peakMegabytes < 100)
  }
}

/// Writes a reproducible word list: made-up words with repeats, CRLF lines, accents and a sprinkling of bad lines.
enum CorpusGenerator {
  static func write(lines: Int, to url: URL) throws {
    _ = FileManager.default.createFile(atPath: url.path, contents: nil)
    let handle = try FileHandle(forWritingTo: url)
    defer { try? handle.close() }
    var generator = SplitMix64(seed: 2026)
    let syllables = ["ka", "lo", "mer", "tin", "sa", "vel", "or", "qu", "ist", "ne", "ba", "ré", "dun", "ph", "ex"]
    var buffer = Data()
    for index in 0..<lines {
      var line: String
      switch generator.next() % 100 {
      case 0: line = ""
      case 1: line = "bad\u{07}word"
      default:
        let count = 2 + Int(generator.next() % 4)
        // Drawing from a limited space makes about a fifth of the lines repeats.
        line = (0..<count).map { _ in syllables[Int(generator.next() % UInt64(syllables.count))] }.joined()
      }
      buffer.append(contentsOf: Array(line.utf8))
      buffer.append(contentsOf: index % 7 == 0 ? [0x0D, 0x0A] : [0x0A])
      if buffer.count > 1 << 20 {
        handle.write(buffer)
        buffer.removeAll(keepingCapacity: true)
      }
    }
    handle.write(buffer)
  }
}

/// A small deterministic random number generator, so every run benchmarks the same input.
struct SplitMix64 {
  var state: UInt64
  init(seed: UInt64) { state = seed }
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
}
