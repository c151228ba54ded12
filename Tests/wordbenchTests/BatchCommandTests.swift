import Foundation
import Testing
import WordbenchCore
import WordbenchTestSupport

/// upload, status, fetch, cancel and the emulator, each a separate process, as a user runs them.
@Suite("wordbench upload, status and fetch against the emulator process")
struct BatchCommandTests {
  let folder = TemporaryFolder("wordbench-batches")

  func wordbench(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessOutput {
    try ChildProcess.run(BuildProducts.wordbench, arguments, environment: environment, currentDirectory: folder.url)
  }

  /// Starts `wordbench emulator` and waits for the base URL it prints.
  func startEmulator(_ extra: [String] = []) async throws -> (ChildProcess, String) {
    let emulator = try ChildProcess(
      BuildProducts.wordbench, ["emulator", "--port", "0", "--data-dir", folder.file("emulator").path] + extra,
      currentDirectory: folder.url)
    for _ in 0..<600 {
      if let line = emulator.stdoutSoFar.split(separator: "\n").first, line.hasPrefix("http://") {
        return (emulator, String(line))
      }
      try await Task.sleep(for: .milliseconds(20))
    }
    emulator.kill()
    throw TestFailure("the emulator printed no URL: \(emulator.stderrSoFar)")
  }

  /// A workspace `w` holding the sample corpus.
  func sampleWorkspace() throws {
    #expect(try wordbench(["init", "w"]).status == 0)
    #expect(try wordbench(["corpus", "import", Samples.corpus.path, "--workspace", "w"]).status == 0)
  }

  func objects(_ url: String) async throws -> (files: Int, batches: Int) {
    let state = url.replacingOccurrences(of: "/v1", with: "/_emulator/state")
    let json = try JSONDecoder().decode(
      JSONValue.self, from: try await CurlHTTPClient().send(HTTPRequest(url: state)).body)
    return (json["input_files"]?.int ?? -1, json["batches"]?.int ?? -1)
  }

  @Test("an upload killed at any moment is finished by running it again: one file and one batch per shard")
  func killedUpload() async throws {
    let (emulator, url) = try await startEmulator(["--speed", "100000"])
    defer { emulator.kill() }
    let environment = ["OPENAI_API_KEY": "sk-e2e-secret", "OPENAI_BASE_URL": url]
    try sampleWorkspace()
    #expect(try wordbench(["prepare", "--words", "90", "--batch-size", "30", "--workspace", "w"]).status == 0)

    let dry = try wordbench(["upload", "--dry-run", "--workspace", "w"], environment: environment)
    #expect(dry.status == 0 && dry.stdout.contains("nothing was sent"), "\(dry.stderr)")
    for delay in [15, 60, 150, 300] {
      let victim = try ChildProcess(
        BuildProducts.wordbench, ["upload", "--workspace", "w"], environment: environment, currentDirectory: folder.url)
      try await Task.sleep(for: .milliseconds(delay))
      victim.kill()
      _ = victim.wait()
    }
    let upload = try wordbench(["upload", "--workspace", "w", "--json"], environment: environment)
    #expect(upload.status == 0, "\(upload.stderr)")
    let made = try await objects(url)
    let listing = try await CurlHTTPClient().send(
      HTTPRequest(url: url + "/batches?limit=100", headers: [HTTPHeader("Authorization", "Bearer x")]))
    let batches = try JSONDecoder().decode(JSONValue.self, from: listing.body)["data"]?.array ?? []
    // A create a killed upload left in flight has landed by the time the rerun looks again, three seconds on, so
    // every shard has exactly one batch.
    let live = batches.filter { !["cancelling", "cancelled"].contains($0["status"]?.string ?? "") }
    #expect(made.files == 3, "one file per shard")
    #expect(live.count == 3 && Set(live.compactMap { $0["metadata"]?["intent"]?.string }).count == 3, "\(batches)")
    #expect(batches.count == 3, "\(batches)")

    let watched = try wordbench(
      ["status", "--watch", "--interval", "1", "--workspace", "w", "--json"], environment: environment)
    #expect(watched.status == 0, "\(watched.stderr)")
    let status = try JSONCoding.decoder().decode(StatusReport.self, from: Data(watched.stdout.utf8))
    #expect(status.allTerminal && status.shards.map { $0.requestCounts?.total } == [30, 30, 30])

    let fetched = try wordbench(["fetch", "--workspace", "w"], environment: environment)
    #expect(fetched.status == 0, "\(fetched.stderr)")
    #expect(fetched.stdout.contains("shard 3  fetched: 30 output, 0 error lines"), "\(fetched.stdout)")
    let again = try wordbench(["fetch", "--workspace", "w"], environment: environment)
    #expect(again.stdout.contains("shard 1  already"))
    let runs = try JSONCoding.decoder().decode(
      [RunSummary].self, from: Data(try wordbench(["runs", "--workspace", "w", "--json"]).stdout.utf8))
    #expect(runs.first?.stage == "fetched")

    // The emulator keeps its state across a restart; SIGTERM stops it cleanly.
    emulator.kill(signal: SIGTERM)
    #expect(emulator.wait(timeout: 10).status == 0)
    let (restarted, newURL) = try await startEmulator()
    defer { restarted.kill() }
    #expect(try await objects(newURL).batches == batches.count)
    let after = try wordbench(
      ["status", "--workspace", "w"], environment: ["OPENAI_API_KEY": "sk-e2e-secret", "OPENAI_BASE_URL": newURL])
    #expect(after.status == 0 && after.stdout.contains("every shard finished"), "\(after.stderr)")

    let enumerator = FileManager.default.enumerator(at: folder.file("workspaces/w"), includingPropertiesForKeys: nil)!
    for case let file as URL in enumerator where !file.hasDirectoryPath {
      #expect((try? Data(contentsOf: file))?.range(of: Data("sk-e2e-secret".utf8)) == nil, "\(file.path)")
    }
  }

  @Test("a merge killed at any moment is finished by running it again, with nothing lost or merged twice")
  func killedMerge() async throws {
    let (emulator, url) = try await startEmulator(["--speed", "100000"])
    defer { emulator.kill() }
    let environment = ["OPENAI_API_KEY": "sk-e2e-secret", "OPENAI_BASE_URL": url]
    try sampleWorkspace()
    let prepared = try wordbench(["prepare", "--words", "600", "--batch-size", "200", "--workspace", "w", "--json"])
    let requests = try JSONCoding.decoder().decode(PrepareReport.self, from: Data(prepared.stdout.utf8)).words
    for step in [["upload"], ["status", "--watch", "--interval", "1"], ["fetch"]] {
      let output = try wordbench(step + ["--workspace", "w"], environment: environment)
      #expect(output.status == 0, "\(step): \(output.stderr)")
    }
    for delay in [100, 300, 600] {
      let victim = try ChildProcess(
        BuildProducts.wordbench, ["merge", "--workspace", "w"], currentDirectory: folder.url)
      try await Task.sleep(for: .milliseconds(delay))
      victim.kill()
      _ = victim.wait()
    }
    let merged = try wordbench(["merge", "--workspace", "w", "--json"])
    #expect(merged.status == 0, "\(merged.stderr)")
    let report = try JSONDecoder().decode(JSONValue.self, from: Data(merged.stdout.utf8))
    #expect(report["merged"]?.int == requests && report["requests"]?.int == requests)
    #expect((report["new_entries"]?.int ?? 0) + (report["already_merged"]?.int ?? 0) == requests)
    let stats = try JSONCoding.decoder().decode(
      CorpusStats.self, from: Data(try wordbench(["corpus", "stats", "--workspace", "w", "--json"]).stdout.utf8))
    #expect(stats.byStatus["in_flight"] ?? 0 == 0 && stats.byStatus["failed"] ?? 0 == 0)
    let exported = try wordbench(["export", "--format", "jsonl", "--output", "all.jsonl", "--workspace", "w"])
    #expect(exported.status == 0, "\(exported.stderr)")
    let lines = try String(contentsOf: folder.file("all.jsonl"), encoding: .utf8).split(separator: "\n")
    #expect(lines.count == requests, "every word merged once")
    let headword = try #require(
      try JSONDecoder().decode(JSONValue.self, from: Data(lines[0].utf8))["headword"]?.string)
    let found = try wordbench(["lookup", headword, "--workspace", "w"])
    #expect(found.status == 0 && found.stdout.hasPrefix(headword), "\(found.stdout)\(found.stderr)")
    #expect(try wordbench(["search", headword, "--workspace", "w"]).status == 0)
    let ledger = try String(contentsOf: folder.file("workspaces/w/ledger.jsonl"), encoding: .utf8)
    #expect(ledger.components(separatedBy: "\"kind\":\"actual\"").count - 1 == 3, "one actual cost per shard")
  }

  @Test("libcurl is loaded by a command that sends a request, and not by one that does not")
  func libcurlOnDemand() async throws {
    let (emulator, url) = try await startEmulator(["--speed", "100000"])
    defer { emulator.kill() }
    try sampleWorkspace()
    #expect(try wordbench(["prepare", "--words", "20", "--workspace", "w"]).status == 0)
    // The dynamic loader lists every library it opens on stderr.
    let offline = try wordbench(["filter", "--workspace", "w"], environment: ["LD_DEBUG": "files"])
    #expect(offline.status == 0, "\(offline.stderr.suffix(2000))")
    #expect(offline.stderr.contains("libarchive.so") && !offline.stderr.contains("libcurl.so"))
    let upload = try wordbench(
      ["upload", "--workspace", "w"],
      environment: ["OPENAI_API_KEY": "sk-e2e-secret", "OPENAI_BASE_URL": url, "LD_DEBUG": "files"])
    #expect(upload.status == 0, "\(upload.stderr.suffix(2000))")
    #expect(upload.stderr.contains("libcurl.so.4"))
    #expect(try await objects(url).batches == 1)
  }

  @Test("without a key, upload says which variable to set (exit 4); an unknown run is exit 3")
  func errors() throws {
    #expect(try wordbench(["init", "w"]).status == 0)
    try folder.write("words.txt", "goose\nriver\n")
    _ = try wordbench(["corpus", "import", "words.txt", "--workspace", "w"])
    _ = try wordbench(["prepare", "--filter-preset", "none", "--workspace", "w"])
    let noKey = try wordbench(["upload", "--workspace", "w"], environment: ["OPENAI_API_KEY": ""])
    #expect(noKey.status == 4 && noKey.stderr.contains("OPENAI_API_KEY"), "\(noKey.stderr)")
    let unknown = try wordbench(["status", "r9", "--workspace", "w"], environment: ["OPENAI_API_KEY": "x"])
    #expect(unknown.status == 3, "\(unknown.stderr)")
  }
}

struct TestFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
