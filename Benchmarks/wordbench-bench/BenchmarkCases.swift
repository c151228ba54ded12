import Foundation
import WordbenchCore

/// A benchmark case: what it sets up, what it measures, and the target it checks.
struct BenchmarkCase: Sendable {
  var name: String
  var run: @Sendable (BenchmarkRunner) throws -> BenchmarkRow
}

enum BenchmarkCases {
  static let all: [BenchmarkCase] =
    [corpusImport, normalize] + ["none", "conservative", "moderate", "aggressive"].map(filter) + [
      prepare, upload, merge, archive,
    ]

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

/// Issue 3: normalize and filter a Scrabble-size list at least 20 times faster than NLTK, whole process against
/// whole process, each side the median of three runs. The list is built at bench time from Debian's
/// wamerican-huge: lowercase, letters only, unique.
enum LexiconBench {
  static let dictionary = "/usr/share/dict/american-english-huge"
  static let target = 20.0

  /// The word list, built once per bench run.
  static func wordList(_ bench: BenchmarkRunner) throws -> URL {
    let url = bench.scratch.appendingPathComponent("words-huge.txt")
    if FileManager.default.fileExists(atPath: url.path) { return url }
    guard let text = try? String(contentsOfFile: dictionary, encoding: .utf8) else {
      throw BenchmarkError.missing("\(dictionary) (Debian package wamerican-huge)")
    }
    var seen = Set<String>()
    var words: [String] = []
    for line in text.split(separator: "\n") {
      let word = line.lowercased()
      if word.utf8.allSatisfy({ $0 >= 0x61 && $0 <= 0x7A }), seen.insert(word).inserted { words.append(word) }
    }
    try (words.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
    return url
  }

  /// The NLTK venv's interpreter (`scripts/bench/setup-nltk.sh` makes it; `make bench` runs that first).
  static func python(_ bench: BenchmarkRunner) throws -> String {
    let path = bench.repository.appendingPathComponent(".build/bench-venv/bin/python").path
    guard FileManager.default.isExecutableFile(atPath: path) else {
      throw BenchmarkError.missing("\(path); run scripts/bench/setup-nltk.sh .build/bench-venv (make bench does)")
    }
    return path
  }

  /// A workspace holding the word list as its corpus, for `filter`.
  static func workspace(_ bench: BenchmarkRunner) throws -> String {
    let path = bench.scratch.appendingPathComponent("lexicon-ws").path
    if FileManager.default.fileExists(atPath: path) { return path }
    _ = try bench.wordbench(["init", "lexicon", "--path", path])
    _ = try bench.wordbench(["corpus", "import", try wordList(bench).path, "--workspace", path])
    return path
  }

  /// Runs per side: each side's median counts (see `Measurement.median`).
  static let runs = 3

  static func median(_ run: () throws -> Measurement) rethrows -> Measurement {
    try Measurement.median(of: runs, run)
  }

  static func row(_ name: String, _ subject: Measurement, _ reference: Measurement) -> BenchmarkRow {
    let ratio = reference.seconds / subject.seconds
    return BenchmarkRow(
      name: name, subject: subject, reference: reference, referenceName: "NLTK",
      target: String(format: "≥ %.0fx faster (%.1fx)", target, ratio), passed: ratio >= target)
  }
}

extension BenchmarkCases {
  static let normalize = BenchmarkCase(name: "normalize-huge") { bench in
    let words = try LexiconBench.wordList(bench).path
    let subject = try LexiconBench.median { try bench.wordbench(["normalize", words]) }
    let python = try LexiconBench.python(bench)
    let reference = try LexiconBench.median {
      try Measurement.run(python, [bench.script("lexicon_reference.py"), "normalize", words])
    }
    return LexiconBench.row("normalize-huge", subject, reference)
  }

  static func filter(_ preset: String) -> BenchmarkCase {
    BenchmarkCase(name: "filter-\(preset)-huge") { bench in
      let workspace = try LexiconBench.workspace(bench)
      let subject = try LexiconBench.median {
        try bench.wordbench(["filter", "--filter-preset", preset, "--workspace", workspace])
      }
      let data = bench.repository.appendingPathComponent("Sources/WordbenchCore/Lexicon/Resources")
      let python = try LexiconBench.python(bench)
      let arguments = [
        bench.script("lexicon_reference.py"), "filter", try LexiconBench.wordList(bench).path, preset,
        data.appendingPathComponent("stopwords-fox-421.txt").path,
        bench.repository.appendingPathComponent("../shared/data/wordfreq-en-large.tsv").path,
      ]
      let reference = try LexiconBench.median { try Measurement.run(python, arguments) }
      return LexiconBench.row("filter-\(preset)-huge", subject, reference)
    }
  }
}

extension BenchmarkCases {
  /// Issue 4: prepare every word of the bench list (one model, the default template with WordNet grounding) at
  /// least 5 times faster than a straightforward Python script (json.dumps, tiktoken, NLTK's WordNet), under 300 MB;
  /// and every request's input tokens identical to tiktoken's.
  static let prepare = BenchmarkCase(name: "prepare-huge") { bench in
    let workspace = bench.scratch.appendingPathComponent("prepare-ws").path
    _ = try bench.wordbench(["init", "prepare", "--path", workspace])
    try Data("[budget]\nmax_cost_per_run = 100000\n".utf8).write(
      to: URL(fileURLWithPath: workspace).appendingPathComponent("workspace.toml"))
    let words = try LexiconBench.wordList(bench).path
    _ = try bench.wordbench(["corpus", "import", words, "--workspace", workspace])
    let subject = try bench.wordbench(["prepare", "--filter-preset", "none", "--workspace", workspace])
    let python = try LexiconBench.python(bench)
    let reference = try Measurement.run(
      python,
      [
        bench.script("prepare_reference.py"), words,
        bench.repository.appendingPathComponent("Sources/WordbenchCore/Requests/Data/entry.schema.json").path,
        bench.scratch.appendingPathComponent("prepare-reference").path,
      ])
    let run = URL(fileURLWithPath: workspace).appendingPathComponent("runs/r0001")
    let verified = try Measurement.run(python, [bench.script("verify_tokens.py"), run.path]).status == 0
    let size = try FileManager.default.subpathsOfDirectory(atPath: run.path).reduce(0) { total, name in
      total
        + ((try? FileManager.default.attributesOfItem(atPath: run.appendingPathComponent(name).path))?[.size]
          as? Int ?? 0)
    }
    let ratio = reference.seconds / subject.seconds
    return BenchmarkRow(
      name: "prepare-huge", subject: subject, reference: reference, referenceName: "Python",
      target: String(
        format: "≥ 5x faster (%.1fx), < 300 MB, %.0f MB written, tokens %@", ratio, Double(size) / 1_000_000,
        verified ? "= tiktoken" : "DIFFER from tiktoken"),
      passed: ratio >= 5 && subject.peakMegabytes < 300 && verified)
  }
}

extension BenchmarkCases {
  /// Issue 5: a 150 MB shard uploads to the emulator with under 60 MB resident memory (the file is streamed from
  /// disk); curl's multipart upload of the same file beside it.
  static let upload = BenchmarkCase(name: "upload-150mb") { bench in
    let workspace = bench.scratch.appendingPathComponent("upload-ws").path
    _ = try bench.wordbench(["init", "upload", "--path", workspace])
    try Data(
      "[budget]\nmax_cost_per_run = 100000\nmax_cost_per_day = 100000\nmax_cost_per_month = 100000\n[limits]\nmax_shard_mb = 200\n[models.\"gpt-4o-mini\"]\nmax_shard_input_tokens = 1_000_000_000\n"
        .utf8
    ).write(to: URL(fileURLWithPath: workspace).appendingPathComponent("workspace.toml"))
    _ = try bench.wordbench(["corpus", "import", try LexiconBench.wordList(bench).path, "--workspace", workspace])
    _ = try bench.wordbench([
      "prepare", "--filter-preset", "none", "--words", "46000", "--batch-size", "46000", "--workspace", workspace,
    ])
    let shard = URL(fileURLWithPath: workspace).appendingPathComponent("runs/r0001/requests/shard-001.jsonl")
    let size = (try FileManager.default.attributesOfItem(atPath: shard.path)[.size] as? Int) ?? 0
    let emulator = try BackgroundProcess(bench.wordbench, ["emulator", "--port", "0"], scratch: bench.scratch)
    defer { emulator.stop() }
    let url = try emulator.firstLine()
    setenv("OPENAI_API_KEY", "sk-bench", 1)
    setenv("OPENAI_BASE_URL", url, 1)
    let subject = try bench.wordbench(["upload", "--workspace", workspace])
    let reference = try Measurement.run(
      "/usr/bin/curl",
      [
        "-s", "-o", "/dev/null", "-H", "Authorization: Bearer sk-bench", "-F", "purpose=batch", "-F",
        "file=@\(shard.path);filename=reference.jsonl", "\(url)/files",
      ])
    return BenchmarkRow(
      name: "upload-150mb", subject: subject, reference: reference, referenceName: "curl",
      target: String(format: "< 60 MB resident (%.0f MB shard)", Double(size) / 1_000_000),
      passed: subject.peakMegabytes < 60 && size >= 150_000_000)
  }
}

/// A helper process that runs beside a benchmark (the emulator), its standard output in a file.
final class BackgroundProcess {
  private let process = Process()
  private let output: URL

  init(_ executable: String, _ arguments: [String], scratch: URL) throws {
    output = scratch.appendingPathComponent("background-\(UUID().uuidString).out")
    _ = FileManager.default.createFile(atPath: output.path, contents: nil)
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardOutput = try FileHandle(forWritingTo: output)
    process.standardError = FileHandle.nullDevice
    try process.run()
  }

  /// The first line it prints, waiting up to ten seconds.
  func firstLine() throws -> String {
    for _ in 0..<500 {
      if let text = try? String(contentsOf: output, encoding: .utf8), let line = text.split(separator: "\n").first {
        return String(line)
      }
      usleep(20_000)
    }
    throw BenchmarkError.missing("the first line of \(process.executableURL?.path ?? "a helper")")
  }

  func stop() {
    process.terminate()
    process.waitUntilExit()
  }
}

/// Writes a reproducible word list: made-up words with repeats, CRLF lines, accents and a sprinkling of bad lines.
enum CorpusGenerator {
  static func write(lines: Int, to url: URL) throws {
    _ = FileManager.default.createFile(atPath: url.path, contents: nil)
    let handle = try FileHandle(forWritingTo: url)
    defer { try? handle.close() }
    var generator = SeededRandom(seed: 2026)
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

extension BenchmarkCases {
  /// Issue 6: merge every output line of a prepared run of the bench list (made by the emulator's synthesizer, fetched
  /// the real way) into an empty store at least 5 times faster than a straightforward Python script (json and
  /// sqlite3 executemany into the same tables), under 300 MB; merging the same files again at least as fast. Beside
  /// it, how long SQLite itself takes to copy the rows the merge wrote (`merge_floor.py`).
  static let merge = BenchmarkCase(name: "merge-huge") { bench in
    let workspace = bench.scratch.appendingPathComponent("merge-ws").path
    _ = try bench.wordbench(["init", "merge", "--path", workspace])
    try Data(
      ("[budget]\nmax_cost_per_run = 100000\nmax_cost_per_day = 100000\nmax_cost_per_month = 100000\n"
        // Every shard goes out at once (about 100), as on a high usage tier.
        + "[limits]\nmax_concurrent_batches = 100\nmax_enqueued_tokens = 1_000_000_000\n").utf8
    ).write(to: URL(fileURLWithPath: workspace).appendingPathComponent("workspace.toml"))
    _ = try bench.wordbench(["corpus", "import", try LexiconBench.wordList(bench).path, "--workspace", workspace])
    _ = try bench.wordbench(["prepare", "--filter-preset", "none", "--workspace", workspace])
    let emulator = try BackgroundProcess(
      bench.wordbench, ["emulator", "--port", "0", "--speed", "1000000"], scratch: bench.scratch)
    defer { emulator.stop() }
    setenv("OPENAI_API_KEY", "sk-bench", 1)
    setenv("OPENAI_BASE_URL", try emulator.firstLine(), 1)
    _ = try bench.wordbench(["upload", "--workspace", workspace])
    _ = try bench.wordbench(["fetch", "--workspace", workspace])

    // The reference, and SQLite copying the merged rows, start from copies of the store as it is now: words imported
    // and in flight, no entries.
    let store = URL(fileURLWithPath: workspace).appendingPathComponent("store")
    let copy = bench.scratch.appendingPathComponent("merge-reference")
    let floorCopy = bench.scratch.appendingPathComponent("merge-floor")
    try FileManager.default.copyItem(at: store, to: copy)
    try FileManager.default.copyItem(at: store, to: floorCopy)
    let run = URL(fileURLWithPath: workspace).appendingPathComponent("runs/r0001")
    let subject = try bench.wordbench(["merge", "--workspace", workspace])
    let again = try bench.wordbench(["merge", "--workspace", workspace])
    let python = try LexiconBench.python(bench)
    let reference = try Measurement.run(
      python, [bench.script("merge_reference.py"), run.path, copy.appendingPathComponent("dictionary.sqlite").path])
    // Not part of the target: the database work alone, which bounds the speed-up any merge into these tables can have.
    // Staging the merged rows (untimed) takes the index text out of the entries' JSON, which is not write work.
    let staged = bench.scratch.appendingPathComponent("merge-staged.sqlite").path
    let stage = try Measurement.run(
      python,
      [
        bench.script("merge_floor.py"), "stage", store.appendingPathComponent("dictionary.sqlite").path, staged,
        "r0001",
      ])
    guard stage.status == 0 else { throw BenchmarkError.failed("merge_floor.py stage", stage.status) }
    let floor = try Measurement.run(
      python,
      [bench.script("merge_floor.py"), "copy", staged, floorCopy.appendingPathComponent("dictionary.sqlite").path])
    guard floor.status == 0 else { throw BenchmarkError.failed("merge_floor.py copy", floor.status) }
    let ratio = reference.seconds / subject.seconds
    return BenchmarkRow(
      name: "merge-huge", subject: subject, reference: reference, referenceName: "Python",
      target: String(
        format: "≥ 5x faster (%.1fx), < 300 MB, again ≤ first (%.2f s); SQLite alone %.2f s, so at most %.1fx",
        ratio, again.seconds, floor.seconds, reference.seconds / floor.seconds),
      passed: ratio >= 5 && subject.peakMegabytes < 300 && again.seconds <= subject.seconds)
  }
}

extension BenchmarkCases {
  /// Issue 7: archiving a 300 MB run folder (written, read back and verified) takes at most 1.3 times the wall time
  /// of `tar --zstd -cf` on the same folder at the same level (3), with under 50 MB resident memory (the median of
  /// five rounds on each side, a fresh copy of the folder for each measurement).
  static let archive = BenchmarkCase(name: "archive-300mb") { bench in
    let workspace = bench.scratch.appendingPathComponent("archive-ws").path
    _ = try bench.wordbench(["init", "archive", "--path", workspace])
    try Data("[budget]\nmax_cost_per_run = 100000\n".utf8).write(
      to: URL(fileURLWithPath: workspace).appendingPathComponent("workspace.toml"))
    _ = try bench.wordbench(["corpus", "import", try LexiconBench.wordList(bench).path, "--workspace", workspace])
    _ = try bench.wordbench([
      "prepare", "--filter-preset", "none", "--words", "92000", "--workspace", workspace,
    ])
    let runs = URL(fileURLWithPath: workspace).appendingPathComponent("runs")
    let size = try FileManager.default.subpathsOfDirectory(atPath: runs.appendingPathComponent("r0001").path)
      .reduce(0) { total, name in
        total
          + ((try? FileManager.default.attributesOfItem(
            atPath: runs.appendingPathComponent("r0001/\(name)").path))?[.size] as? Int ?? 0)
      }
    // Archiving removes the folder, so each measurement archives a fresh copy of it. A single run on this machine
    // can be off by a third, so each side's median of five rounds counts; the side that goes first alternates, so
    // neither always runs right after the copy.
    let folder = runs.appendingPathComponent("r0001")
    let pristine = bench.scratch.appendingPathComponent("archive-r0001")
    try FileManager.default.moveItem(at: folder, to: pristine)
    let tarball = bench.scratch.appendingPathComponent("ref.tar.zst")
    func freshCopy() throws {
      try? FileManager.default.removeItem(at: folder)
      try? FileManager.default.removeItem(at: runs.appendingPathComponent("r0001.tar.zst"))
      try? FileManager.default.removeItem(at: tarball)
      _ = try Measurement.run("/bin/cp", ["-a", pristine.path, folder.path])
      // Flushed first, so neither side pays for writing back the copy's 300 MB (the archive's own fsync would
      // otherwise wait for it), as with a run finished days ago.
      _ = try Measurement.run("/bin/sync", [])
    }
    func tar() throws -> Measurement {
      try freshCopy()
      return try Measurement.run(
        "/usr/bin/env", ["ZSTD_CLEVEL=3", "tar", "--zstd", "-cf", tarball.path, "-C", runs.path, "r0001"])
    }
    func archive() throws -> Measurement {
      try freshCopy()
      return try bench.wordbench(["archive", "r1", "--force", "--level", "3", "--workspace", workspace])
    }
    var references: [Measurement] = []
    var subjects: [Measurement] = []
    for round in 0..<5 {
      if round.isMultiple(of: 2) {
        references.append(try tar())
        subjects.append(try archive())
      } else {
        subjects.append(try archive())
        references.append(try tar())
      }
    }
    let reference = Measurement.median(references)
    let subject = Measurement.median(subjects)
    let ratio = subject.seconds / reference.seconds
    return BenchmarkRow(
      name: "archive-300mb", subject: subject, reference: reference, referenceName: "tar --zstd",
      target: String(format: "≤ 1.3x tar (%.2fx), < 50 MB, %.0f MB folder", ratio, Double(size) / 1_000_000),
      // Memory is held to the ceiling in every round, not only the median one.
      passed: ratio <= 1.3 && subjects.allSatisfy { $0.peakMegabytes < 50 } && size >= 300_000_000)
  }
}
