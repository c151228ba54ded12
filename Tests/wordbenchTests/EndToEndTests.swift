import Foundation
import Testing
import WordbenchCore
import WordbenchTestSupport

/// Drives the built `wordbench` binary the way a user does.
@Suite("wordbench end to end")
struct EndToEndTests {
  let folder = TemporaryFolder("wordbench-e2e")

  func wordbench(_ arguments: String..., environment: [String: String] = [:]) throws -> ProcessOutput {
    try ChildProcess.run(BuildProducts.wordbench, arguments, environment: environment, currentDirectory: folder.url)
  }

  func json<T: Decodable>(_ type: T.Type, _ output: ProcessOutput) throws -> T {
    try JSONCoding.decoder().decode(T.self, from: Data(output.stdout.utf8))
  }

  @Test("init, import, stats and runs")
  func workflow() throws {
    let created = try wordbench("init", "demo")
    #expect(created.status == 0, "\(created.stderr)")
    #expect(created.stdout.contains("Created workspace demo"))

    try folder.write("words.txt", "apple\npear\napple\n\u{07}bad\n")
    let imported = try wordbench("corpus", "import", "words.txt", "--workspace", "demo", "--json")
    #expect(imported.status == 0, "\(imported.stderr)")
    let result = try json(CorpusImportResult.self, imported)
    #expect(result.totals.imported == 2)
    #expect(result.totals.duplicates == 1)
    #expect(result.totals.rejected == 1)

    let stats = try wordbench(
      "corpus", "stats", "--json", environment: ["WORDBENCH_WORKSPACE": folder.file("workspaces/demo").path])
    #expect(stats.status == 0, "\(stats.stderr)")
    #expect(try json(CorpusStats.self, stats).words == 2)

    let human = try wordbench("corpus", "stats", "--workspace", "demo")
    #expect(human.stdout.contains("Corpus words: 2"))

    let runs = try wordbench("runs", "--workspace", "demo", "--json")
    #expect(runs.status == 0)
    #expect(try json([RunSummary].self, runs).isEmpty)
    #expect(try wordbench("runs", "--workspace", "demo").stdout == "No runs yet.\n")
  }

  @Test("runs lists created runs with their step states")
  func runsListing() throws {
    _ = try wordbench("init", "w")
    let context = WordbenchContext(currentDirectory: folder.url)
    let workspace = try Workspace.locate(explicit: "w", context: context)
    let run = try RunStore(workspace: workspace).create(parameters: [:], context: context)
    try run.record(.prepare, .done, message: "prepared", context: context)
    let output = try wordbench("runs", "--workspace", "w")
    #expect(output.stdout.contains("r0001"))
    #expect(output.stdout.contains("prepared"))
    let listing = try json([RunSummary].self, try wordbench("runs", "--workspace", "w", "--json"))
    #expect(listing.map(\.run) == ["r0001"])
    #expect(listing.first?.steps["prepare"]?.state == .done)
  }

  struct Failure: CustomTestStringConvertible, Sendable {
    let arguments: [String]
    let status: Int32
    let message: String
    var testDescription: String { arguments.joined(separator: " ") }
  }

  @Test(
    "errors say what to do and exit non-zero",
    arguments: [
      Failure(arguments: ["corpus", "stats"], status: 3, message: "wordbench init NAME"),
      Failure(arguments: ["corpus", "stats", "--workspace", "nowhere"], status: 3, message: "not a workspace"),
      Failure(arguments: ["init", "../x"], status: 3, message: "cannot be a workspace name"),
      Failure(
        arguments: ["corpus", "import", "missing.txt", "--workspace", "ok"], status: 6,
        message: "missing.txt: no such file"),
      Failure(
        arguments: ["corpus", "import", "words.txt", "--column", "0", "--workspace", "ok"], status: 2,
        message: "--column 0"),
    ])
  func failures(_ failure: Failure) throws {
    _ = try wordbench("init", "ok")
    try folder.write("words.txt", "a\n")
    let output = try ChildProcess.run(BuildProducts.wordbench, failure.arguments, currentDirectory: folder.url)
    #expect(output.status == failure.status)
    #expect(output.stderr.contains(failure.message), "\(output.stderr)")
    #expect(output.stdout.isEmpty)
  }

  @Test("a broken workspace.toml is reported with file, line and key")
  func brokenConfig() throws {
    _ = try wordbench("init", "w")
    try folder.write("workspaces/w/workspace.toml", "[filter]\npreset = \"most\"\n")
    let output = try wordbench("corpus", "stats", "--workspace", "w")
    #expect(output.status == 4)
    #expect(output.stderr.contains("workspace.toml:2: filter.preset: \"most\" is not allowed"))
  }

  @Test("a second writer fails at once with who holds the workspace, or waits with --wait-lock")
  func lockContention() async throws {
    _ = try wordbench("init", "w")
    try folder.write("words.txt", "one\ntwo\n")
    let lockURL = folder.file("workspaces/w/.lock")
    let context = WordbenchContext(processID: 31337)
    let held = try await WorkspaceLock.acquire(at: lockURL, command: "merge", wait: false, context: context)

    let busy = try wordbench("corpus", "import", "words.txt", "--workspace", "w")
    #expect(busy.status == 5)
    #expect(busy.stderr.contains("workspace busy: merge (pid 31337) since "), "\(busy.stderr)")

    let waiting = try ChildProcess(
      BuildProducts.wordbench, ["corpus", "import", "words.txt", "--workspace", "w", "--wait-lock"],
      currentDirectory: folder.url)
    let deadline = Date().addingTimeInterval(30)
    while !waiting.stderrSoFar.contains("waiting for the workspace lock") && Date() < deadline {
      try await Task.sleep(for: .milliseconds(20))
    }
    held.release()
    let output = waiting.wait()
    #expect(output.status == 0, "\(output.stderr)")
    #expect(output.stdout.contains("2 imported"))
  }

  @Test("a lock held by a process that was killed is taken over")
  func deadHolder() throws {
    _ = try wordbench("init", "w")
    try folder.write("words.txt", "one\n")
    let lockPath = folder.file("workspaces/w/.lock").path
    // flock(1) takes the same kind of lock wordbench takes; with --no-fork the process that holds it is the one we
    // kill, and SIGKILL gives it no chance to clean up.
    let holder = try ChildProcess(URL(fileURLWithPath: "/usr/bin/flock"), ["--no-fork", lockPath, "sleep", "60"])
    var busy = false
    for _ in 0..<200 {
      let attempt = try wordbench("corpus", "import", "words.txt", "--workspace", "w")
      if attempt.status == 5 {
        busy = true
        break
      }
      usleep(10_000)
    }
    #expect(busy)
    holder.kill()
    _ = holder.wait()
    let output = try wordbench("corpus", "import", "words.txt", "--workspace", "w")
    #expect(output.status == 0, "\(output.stderr)")
  }

  @Test("an import killed at any moment is completed by running it again")
  func killedImport() async throws {
    _ = try wordbench("init", "w")
    let words = (0..<200_000).map { "word\($0)" }
    try folder.write("big.txt", words.joined(separator: "\n") + "\n\u{07}\n")
    for delay in [5, 40, 150] {
      let victim = try ChildProcess(
        BuildProducts.wordbench, ["corpus", "import", "big.txt", "--workspace", "w"], currentDirectory: folder.url)
      try await Task.sleep(for: .milliseconds(delay))
      victim.kill()
      _ = victim.wait()
    }
    let rerun = try wordbench("corpus", "import", "big.txt", "--workspace", "w", "--json")
    #expect(rerun.status == 0, "\(rerun.stderr)")
    let result = try json(CorpusImportResult.self, rerun)
    #expect(result.corpusWords == 200_000)
    #expect(result.totals.imported + result.totals.duplicates == 200_000)
    #expect(result.totals.rejected == 1)
    let corpus = try folder.read("workspaces/w/corpus/words.txt").split(separator: "\n")
    #expect(corpus.count == 200_000)
    #expect(corpus.first == "word0" && corpus.last == "word199999")
    for sub in ["workspaces/w/corpus", "workspaces/w/corpus/imports"] {
      let names = try FileManager.default.contentsOfDirectory(atPath: folder.file(sub).path)
      #expect(!names.contains { $0.hasPrefix(AtomicFile.temporaryPrefix) }, "\(names)")
    }
  }

  @Test("normalize prints word, lemma and reason per line, from a file or without a workspace")
  func normalize() throws {
    try folder.write("words.txt", "geese\nHoping\n\nbikers\n")
    let output = try wordbench("normalize", "words.txt")
    #expect(output.status == 0, "\(output.stderr)")
    let lines = output.stdout.split(separator: "\n").map { $0.split(separator: "\t").map(String.init) }
    #expect(lines.map { $0[0] } == ["geese", "Hoping", "bikers"])
    #expect(lines.map { $0[1] } == ["goose", "hope", "biker"])
    #expect(lines[0][2].contains("noun.exc"))
    let json = try wordbench("normalize", "words.txt", "--json")
    let decoded = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: String]]
    #expect(decoded?.first?["reason"] == "irregular")
  }

  @Test("filter (and its alias filter-words) reports stages, a preview, explanations and the kept list")
  func filter() throws {
    _ = try wordbench("init", "w")
    try folder.write("words.txt", "the\nrunning\ngeese\ngoose\nzzxqvw\nnational\n")
    _ = try wordbench("corpus", "import", "words.txt", "--workspace", "w")
    let output = try wordbench(
      "filter-words", "--workspace", "w", "--filter-preset", "moderate", "--explain", "geese", "the", "--output",
      "kept.txt", "--json")
    #expect(output.status == 0, "\(output.stderr)")
    let report = try json(FilterReport.self, output)
    #expect(report.stages.first?.count == 6)
    #expect(report.explanations.map(\.outcome) == [.merged, .dropped])
    let kept = try folder.read("kept.txt").split(separator: "\n")
    #expect(kept == ["running", "goose", "national"])
    let human = try wordbench("filter", "--workspace", "w", "--explain", "zzxqvw")
    #expect(human.stdout.contains("after frequency"))
  }

  @Test("lookup and search exit 9 when they find nothing, and say whether prepare will take a pending word")
  func lookupNothingFound() throws {
    _ = try wordbench("init", "w")
    try folder.write("words.txt", "the\ncats\nhouse\nzzxqvw\n")
    _ = try wordbench("corpus", "import", "words.txt", "--workspace", "w")
    func why(_ word: String) throws -> String {
      let output = try wordbench("lookup", word, "--workspace", "w")
      #expect(output.status == 9, "\(word): \(output.stderr)")
      return output.stdout
    }
    #expect(try why("house").contains("(`wordbench prepare` takes it)"))
    #expect(try why("cats").contains("takes it under its headword \"cat\""))
    let stop = try why("the")
    #expect(stop.contains("moderate preset leaves it out") && stop.contains("stop word"), "\(stop)")
    #expect(try why("zzxqvw").contains("Zipf 0.00 is below 2.46"))
    #expect(try why("aardwolf").contains("not in the corpus"))
    let json = try wordbench("lookup", "the", "--workspace", "w", "--json")
    let report = try self.json(LookupReport.self, json)
    #expect(json.status == 9 && report.entry == nil)
    let search = try wordbench("search", "house", "--workspace", "w")
    #expect(search.status == 9 && search.stdout == "No entry matches.\n")
  }

  @Test("a missing WordNet says which package to install")
  func missingWordNet() throws {
    try folder.write("words.txt", "geese\n")
    let output = try wordbench("normalize", "words.txt", environment: ["WORDNET_DIR": "/nonexistent/wordnet"])
    #expect(output.status != 0)
    #expect(output.stderr.contains("wordnet-base"))
  }

  @Test("filter --filter-preset none needs no WordNet; a preset that merges lemmas does")
  func filterNoneWithoutWordNet() throws {
    _ = try wordbench("init", "w")
    try folder.write("words.txt", "geese\nGoose\ngeese\n")
    _ = try wordbench("corpus", "import", "words.txt", "--workspace", "w")
    let missing = ["WORDNET_DIR": "/nonexistent/wordnet"]
    let none = try wordbench("filter", "--workspace", "w", "--filter-preset", "none", "--json", environment: missing)
    #expect(none.status == 0, "\(none.stderr)")
    #expect(try json(FilterReport.self, none).preview.map(\.lemma) == ["geese", "goose"])
    let merging = try wordbench("filter", "--workspace", "w", "--filter-preset", "moderate", environment: missing)
    #expect(merging.status != 0)
    #expect(merging.stderr.contains("wordnet-base"))
  }

  @Test("demo sets up workspaces/demo from the samples and can run again")
  func demo() throws {
    let samples = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../samples")
      .standardizedFileURL.path
    let first = try wordbench("demo", "--samples", samples)
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("Created the demo workspace"))
    #expect(first.stdout.contains("Corpus words: 2,000"))
    #expect(first.stdout.contains("Preset moderate"), "the filter's counts")
    #expect(first.stdout.contains("Summary: r0001: 200 entries merged, 0 rejected, 0 failed"), "\(first.stdout)")
    #expect(first.stdout.components(separatedBy: "wordbench lookup ").count - 1 == 3, "three entries shown")
    #expect(FileManager.default.fileExists(atPath: folder.file("workspaces/demo/runs/r0001.tar.zst").path))
    let second = try wordbench("demo", "--samples", samples, "--json")
    #expect(second.status == 0)
    let result = try json(DemoResult.self, second)
    #expect(!result.created)
    #expect(result.imported.totals.duplicates == 2000)
    #expect(result.prepared?.run == "r0002" && (result.prepared?.shards.count ?? 0) >= 2)
    #expect(result.merged?.merged == 200 && result.lookups.count == 3 && result.archived?.run == "r0002")
    let runs = try wordbench("runs", "--workspace", "workspaces/demo")
    #expect(runs.stdout.contains("r0001") && runs.stdout.contains("archived"))
  }
}
