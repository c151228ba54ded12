import Foundation
import Synchronization
import Testing
import WordbenchTestSupport

@testable import WordbenchCore
@testable import WordbenchEmulator

/// The OpenAI provider through the real libcurl client against the emulator on an ephemeral loopback port.
@Suite("OpenAI provider against the emulator")
struct OpenAIProviderTests {
  static let lexicon = try! Lexicon.load(
    workspace: nil, context: WordbenchContext(environment: ProcessInfo.processInfo.environment))
  let folder = TemporaryFolder("wordbench-provider")

  /// A started emulator and a provider for it; the clock is a manual one, so retries never sleep.
  func start(_ configure: (inout EmulatorConfig) -> Void = { _ in }) throws -> (Emulator, OpenAIProvider, ManualClock) {
    var config = EmulatorConfig()
    // Emulated time moves only when a test advances it.
    config.speed = 1e-9
    configure(&config)
    let emulator = try Emulator(config: config, lexicon: Self.lexicon)
    let url = try emulator.start()
    let clock = ManualClock()
    let provider = OpenAIProvider(
      baseURL: url, apiKey: "sk-test-key", http: RetryingHTTPClient(client: CurlHTTPClient(), sleeper: clock))
    return (emulator, provider, clock)
  }

  /// A shard of `words` with the default template's user message shape.
  func shard(_ words: [String], name: String = "shard-001.jsonl", model: String = "gpt-4o-mini") throws -> URL {
    let lines = words.enumerated().map { index, word in
      let request: JSONValue = .object([
        "custom_id": .string("r0001-\(index + 1)"), "method": "POST", "url": "/v1/chat/completions",
        "body": .object([
          "model": .string(model),
          "messages": .array([
            .object(["role": "system", "content": "Write entries."]),
            .object(["role": "user", "content": .string("Headword: \(word)\nLemma: \(word)")]),
          ]),
        ]),
      ])
      return String(decoding: try! JSONCoding.encoder(pretty: false).encode(request), as: UTF8.self)
    }
    return try folder.write(name, lines.joined(separator: "\n") + "\n")
  }

  @Test("a batch goes validating, in progress, finalizing, completed, with shuffled output and usage")
  func lifecycle() async throws {
    let (emulator, provider, _) = try start()
    defer { emulator.stop() }
    let words = ["goose", "river", "happy", "run", "quickly", "zzqx"]
    let file = try await provider.uploadFile(try shard(words), name: "shard-001.jsonl", progress: nil)
    #expect(file.purpose == "batch" && file.filename == "shard-001.jsonl")
    let created = try await provider.createBatch(
      inputFileID: file.id, endpoint: "/v1/chat/completions", metadata: ["run": "r0001", "shard": "1"])
    #expect(created.status == .validating && created.metadata["shard"] == "1")
    emulator.clock.advance(seconds: 3)
    #expect(try await provider.batch(created.id).status == .inProgress)
    emulator.clock.advance(seconds: 5.1)
    #expect(try await provider.batch(created.id).status == .finalizing)
    emulator.clock.advance(seconds: 3)
    let done = try await provider.batch(created.id)
    #expect(done.status == .completed && done.requestCounts == RequestCounts(total: 6, completed: 6, failed: 0))
    #expect(done.errorFileID == nil && done.usage?["input_tokens"]?.int ?? 0 > 0 && done.model == "gpt-4o-mini")

    let output = folder.file("output.jsonl")
    try await provider.downloadFile(try #require(done.outputFileID), to: DownloadTarget(file: output))
    let lines = try String(contentsOf: output, encoding: .utf8).split(separator: "\n")
    let ids = try lines.map {
      try #require(try JSONDecoder().decode(JSONValue.self, from: Data($0.utf8))["custom_id"]?.string)
    }
    #expect(Set(ids) == Set((1...6).map { "r0001-\($0)" }))
    #expect(ids != (1...6).map { "r0001-\($0)" }, "output lines come in input order")
    let line = try JSONDecoder().decode(JSONValue.self, from: Data(lines[0].utf8))
    let content = try #require(line["response"]?["body"]?["choices"]?.array?.first?["message"]?["content"]?.string)
    let entry = try JSONDecoder().decode(JSONValue.self, from: Data(content.utf8))
    #expect(entry["headword"]?.string.map(words.contains) == true)
    #expect((entry["senses"]?.array?.count ?? 0) >= 1)
    #expect(line["response"]?["body"]?["usage"]?["completion_tokens"]?.int == Tokenizer.bundledForTests.count(content))
  }

  @Test(
    "validation failures name their lines; a batch file must be .jsonl; unknown ids are 404; cancelling a finished batch is 409"
  )
  func failures() async throws {
    let (emulator, provider, _) = try start()
    defer { emulator.stop() }
    let good = try shard(["goose"])
    var text = try String(contentsOf: good, encoding: .utf8)
    text +=
      "{not json\n" + text
      + text.replacingOccurrences(of: "/v1/chat/completions", with: "/v1/embeddings")
      .replacingOccurrences(of: "r0001-1", with: "r0001-4")
    let bad = try folder.write("bad.jsonl", text)
    let file = try await provider.uploadFile(bad, name: "bad.jsonl", progress: nil)
    let batch = try await provider.createBatch(inputFileID: file.id, endpoint: "/v1/chat/completions", metadata: [:])
    emulator.clock.advance(seconds: 3)
    let failed = try await provider.batch(batch.id)
    #expect(failed.status == .failed && failed.outputFileID == nil && failed.errorFileID == nil)
    #expect(failed.errors.map(\.code) == ["invalid_json_line", "duplicate_custom_id", "url_mismatch"])
    #expect(failed.errors.map(\.line) == [2, 3, 4])

    await #expect {
      try await provider.uploadFile(good, name: "shard.txt", progress: nil)
    } throws: { error in
      guard case ProviderError.api(400, let message, _, _, _) = error else { return false }
      return message.contains("Must be .jsonl")
    }
    await #expect(
      throws: ProviderError.api(
        status: 404, message: "No such File object: file-nope", type: "invalid_request_error", param: "id", code: nil)
    ) {
      try await provider.file("file-nope")
    }
    try await provider.deleteFile("file-nope")
    await #expect {
      try await provider.cancelBatch(batch.id)
    } throws: { error in (error as? ProviderError)?.status == 409 }
  }

  @Test("every line failing completes with only an error file; expiry and cancellation keep partial results")
  func partialResults() async throws {
    let (allFail, failingProvider, _) = try start { $0.faults.lineErrors = 1 }
    defer { allFail.stop() }
    let file = try await failingProvider.uploadFile(try shard(["goose", "river"]), name: "a.jsonl", progress: nil)
    let batch = try await failingProvider.createBatch(
      inputFileID: file.id, endpoint: "/v1/chat/completions", metadata: [:])
    allFail.clock.advance(seconds: 60)
    let done = try await failingProvider.batch(batch.id)
    #expect(done.status == .completed && done.outputFileID == nil && done.errorFileID != nil)
    #expect(done.requestCounts == RequestCounts(total: 2, completed: 0, failed: 2))

    let (expiring, provider, _) = try start { $0.faults.expireBatches = true }
    defer { expiring.stop() }
    let words = (1...10).map { "word\($0)" }
    let input = try await provider.uploadFile(try shard(words), name: "b.jsonl", progress: nil)
    let expiringBatch = try await provider.createBatch(
      inputFileID: input.id, endpoint: "/v1/chat/completions", metadata: [:])
    expiring.clock.advance(seconds: 3600)
    #expect(try await provider.batch(expiringBatch.id).status == .inProgress)
    expiring.clock.advance(seconds: 86_400)
    let expired = try await provider.batch(expiringBatch.id)
    #expect(expired.status == .expired && expired.requestCounts == RequestCounts(total: 10, completed: 5, failed: 5))
    let errors = folder.file("errors.jsonl")
    try await provider.downloadFile(try #require(expired.errorFileID), to: DownloadTarget(file: errors))
    #expect(try String(contentsOf: errors, encoding: .utf8).components(separatedBy: "batch_expired").count == 6)

    let cancelled = try await provider.createBatch(
      inputFileID: input.id, endpoint: "/v1/chat/completions", metadata: [:])
    #expect(try await provider.cancelBatch(cancelled.id).status == .cancelling)
    expiring.clock.advance(seconds: 10)
    let final = try await provider.batch(cancelled.id)
    #expect(final.status == .cancelled && final.requestCounts?.failed == 10)
  }

  /// The result files of one batch of `lines` requests from a fresh emulator, each line with its `created` time
  /// removed (the emulated clock starts at the wall clock's time).
  func resultFiles(seed: UInt64, lines: Int) async throws -> (output: [JSONValue], errors: [JSONValue]) {
    let (emulator, provider, _) = try start {
      $0.seed = seed
      $0.faults.invalidContent = 0.05
      $0.faults.schemaViolations = 0.05
      $0.faults.truncated = 0.05
      $0.faults.lineErrors = 0.05
    }
    defer { emulator.stop() }
    let words = ["goose", "river", "happy", "run", "quickly", "zzqx", "geese", "ran"]
    let input = try shard((0..<lines).map { words[$0 % words.count] }, name: "seed-\(seed).jsonl")
    let file = try await provider.uploadFile(input, name: "shard.jsonl", progress: nil)
    let batch = try await provider.createBatch(inputFileID: file.id, endpoint: "/v1/chat/completions", metadata: [:])
    emulator.clock.advance(seconds: 600)
    let done = try await provider.batch(batch.id)
    func download(_ id: String?, _ name: String) async throws -> [JSONValue] {
      let target = folder.file("\(name)-\(seed).jsonl")
      try await provider.downloadFile(try #require(id), to: DownloadTarget(file: target))
      return try String(contentsOf: target, encoding: .utf8).split(separator: "\n").map { text in
        let line = try JSONValue(parsing: String(text))
        guard case .object(var object) = line, case .object(var response)? = object["response"],
          case .object(var body)? = response["body"]
        else { return line }
        body["created"] = nil
        response["body"] = .object(body)
        object["response"] = .object(response)
        return .object(object)
      }
    }
    return (try await download(done.outputFileID, "output"), try await download(done.errorFileID, "errors"))
  }

  @Test("a seed always gives the same result files, in the same order, though answers are made on all cores")
  func seededResults() async throws {
    // Enough lines for the answers to be made in parallel.
    let first = try await resultFiles(seed: 7, lines: 300)
    let again = try await resultFiles(seed: 7, lines: 300)
    #expect(first.output.count + first.errors.count == 300)
    #expect(!first.errors.isEmpty && first.output.count > 250)
    #expect(first.output == again.output && first.errors == again.errors)
    let other = try await resultFiles(seed: 8, lines: 300)
    #expect(other.output.map { $0["custom_id"] } != first.output.map { $0["custom_id"] })
  }

  @Test("retries ride out 429, 5xx and dropped connections without creating anything twice")
  func retries() async throws {
    let (emulator, _, clock) = try start {
      $0.faults.httpErrors = 0.3
      $0.faults.droppedConnections = 0.1
      $0.seed = 7
    }
    defer { emulator.stop() }
    let retries = Atomic<Int>(0)
    let provider = OpenAIProvider(
      baseURL: "http://127.0.0.1:\(emulator.port)/v1", apiKey: "sk-test",
      http: RetryingHTTPClient(client: CurlHTTPClient(), sleeper: clock) { _, _ in retries.add(1, ordering: .relaxed) })
    let input = try shard(["goose"])
    var created = 0
    var refused = 0
    for _ in 0..<12 {
      do {
        let file = try await provider.uploadFile(input, name: "x.jsonl", progress: nil)
        _ = try await provider.createBatch(inputFileID: file.id, endpoint: "/v1/chat/completions", metadata: [:])
        created += 1
      } catch {
        // A create that failed in a way that may have been acted on is not retried blindly.
        refused += 1
      }
    }
    let batches = try await provider.allBatches()
    #expect(batches.count == created, "\(refused) creates refused")
    #expect(retries.load(ordering: .relaxed) > 0)
    #expect(clock.sleeps.count == retries.load(ordering: .relaxed))
  }

  @Test(
    "the API's limits: lines per batch, bytes per file, one model, the enqueued-token quota; deleted files are gone")
  func limits() async throws {
    let (emulator, provider, _) = try start {
      $0.maximumLines = 3
      $0.maximumBytes = 2000
      $0.enqueuedTokenLimit = 10
    }
    defer { emulator.stop() }
    func failure(_ url: URL) async throws -> [BatchError] {
      let file = try await provider.uploadFile(url, name: url.lastPathComponent, progress: nil)
      let batch = try await provider.createBatch(inputFileID: file.id, endpoint: "/v1/chat/completions", metadata: [:])
      emulator.clock.advance(seconds: 3)
      let checked = try await provider.batch(batch.id)
      #expect(checked.status == .failed && checked.requestCounts == RequestCounts(total: 0, completed: 0, failed: 0))
      return checked.errors
    }
    #expect(try await failure(try shard(["a", "b", "c", "d"], name: "four.jsonl")).map(\.code) == ["too_many_tasks"])
    var mixed = try String(contentsOf: try shard(["a"], name: "one.jsonl"), encoding: .utf8)
    mixed += try String(contentsOf: try shard(["b"], name: "other.jsonl", model: "gpt-4.1"), encoding: .utf8)
      .replacingOccurrences(of: "r0001-1", with: "r0001-2")
    let models = try await failure(try folder.write("models.jsonl", mixed))
    #expect(models.map(\.code) == ["model_mismatch"] && models.first?.line == 2)
    let quota = try await failure(try shard(["goose", "river"], name: "quota.jsonl"))
    #expect(quota.map(\.code) == ["token_limit_exceeded"] && quota.first?.line == nil)

    await #expect {
      try await provider.uploadFile(
        try shard((1...40).map { "word\($0)" }, name: "big.jsonl"), name: "big.jsonl", progress: nil)
    } throws: { error in (error as? ProviderError)?.status == 400 }
    let small = try await provider.uploadFile(try shard(["a"], name: "small.jsonl"), name: "small.jsonl", progress: nil)
    try await provider.deleteFile(small.id)
    await #expect { try await provider.file(small.id) } throws: { error in (error as? ProviderError)?.status == 404 }
  }

  @Test("HTTP faults can be limited to some endpoints")
  func faultPaths() async throws {
    let (emulator, provider, _) = try start {
      $0.faults.httpErrors = 1
      $0.faults.httpFaultPaths = ["/v1/batches"]
    }
    defer { emulator.stop() }
    let file = try await provider.uploadFile(try shard(["goose"]), name: "f.jsonl", progress: nil)
    #expect(file.bytes > 0)
    await #expect {
      try await provider.listBatches(after: nil, limit: 5)
    } throws: { error in [429, 500, 503].contains((error as? ProviderError)?.status ?? 0) }
  }

  @Test("lists page through more than 100 batches")
  func pagination() async throws {
    let (emulator, provider, _) = try start()
    defer { emulator.stop() }
    let file = try await provider.uploadFile(try shard(["goose"]), name: "p.jsonl", progress: nil)
    for _ in 0..<105 {
      _ = try await provider.createBatch(inputFileID: file.id, endpoint: "/v1/chat/completions", metadata: [:])
    }
    let first = try await provider.listBatches(after: nil, limit: 100)
    #expect(first.items.count == 100 && first.hasMore)
    let all = try await provider.allBatches()
    #expect(all.count == 105 && Set(all.map(\.id)).count == 105)
  }

  @Test("a cut-short download fails, and is resumed from where it stopped")
  func resumedDownload() async throws {
    let (emulator, provider, _) = try start()
    defer { emulator.stop() }
    let input = try shard((1...50).map { "word\($0)" })
    let file = try await provider.uploadFile(input, name: "r.jsonl", progress: nil)
    let original = try Data(contentsOf: input)
    let part = folder.file("r.jsonl.part")
    try original.prefix(1000).write(to: part)
    try await provider.downloadFile(file.id, to: DownloadTarget(file: part, resumeFrom: 1000))
    #expect(try Data(contentsOf: part) == original)

    let (cutting, cutProvider, _) = try start { $0.faults.truncatedDownloads = 1 }
    defer { cutting.stop() }
    let cutFile = try await cutProvider.uploadFile(input, name: "r.jsonl", progress: nil)
    let target = folder.file("cut.part")
    await #expect(throws: HTTPError.self) {
      try await cutProvider.downloadFile(cutFile.id, to: DownloadTarget(file: target))
    }
    let size = try Data(contentsOf: target).count
    #expect(size > 0 && size < original.count)
  }

  @Test("without a key the emulator answers 401 and the provider says so")
  func unauthorized() async throws {
    let (emulator, _, clock) = try start()
    defer { emulator.stop() }
    let provider = OpenAIProvider(
      baseURL: "http://127.0.0.1:\(emulator.port)/v1", apiKey: "",
      http: RetryingHTTPClient(client: CurlHTTPClient(), sleeper: clock))
    await #expect {
      try await provider.listBatches(after: nil, limit: 1)
    } throws: { error in (error as? ProviderError)?.status == 401 }
  }
}

@Suite("The emulator's temporary folder")
struct EmulatorFolderTests {
  @Test("stop removes the temporary folder of uploaded and result files")
  func stopRemovesFolder() throws {
    var config = EmulatorConfig()
    config.speed = 1e-9
    let emulator = try Emulator(config: config, lexicon: OpenAIProviderTests.lexicon)
    _ = try emulator.start()
    let folder = emulator.filesFolder
    #expect(FileManager.default.fileExists(atPath: folder.path))
    #expect(folder.lastPathComponent.hasPrefix("wordbench-emulator-\(getpid())-"))
    emulator.stop()
    #expect(!FileManager.default.fileExists(atPath: folder.path))
  }

  @Test("the folders of emulators whose process has ended are removed; those of running ones stay")
  func endedEmulators() throws {
    let temporary = TemporaryFolder()
    let ended = Process()
    ended.executableURL = URL(fileURLWithPath: "/bin/true")
    try ended.run()
    ended.waitUntilExit()
    let names = [
      "wordbench-emulator-\(ended.processIdentifier)-A", "wordbench-emulator-1-B",
      "wordbench-emulator-\(getpid())-C", "wordbench-emulator-notapid", "unrelated-\(ended.processIdentifier)-D",
    ]
    for name in names { try temporary.write("\(name)/files/file-1", "x") }
    Emulator.removeFoldersOfEndedEmulators(in: temporary.url)
    let left = try FileManager.default.contentsOfDirectory(atPath: temporary.path).sorted()
    #expect(left == names.dropFirst().sorted())
  }
}

extension Tokenizer {
  static let bundledForTests = try! Tokenizer.bundled(
    cache: LexiconCache(environment: ProcessInfo.processInfo.environment))
}

@Suite("OpenAI provider options")
struct OpenAIProviderOptionTests {
  @Test("Azure-style servers get api-version and the api-key header; output_expires_after goes with the create")
  func options() async throws {
    let server = try LoopbackHTTPServer { _ in
      .init(
        status: 200,
        body: Data(
          #"{"id":"batch_1","status":"validating","endpoint":"/v1/chat/completions","input_file_id":"f","created_at":1,"future_field":{"x":1}}"#
            .utf8))
    }
    defer { server.stop() }
    var provider = OpenAIProvider(
      baseURL: server.baseURL + "/openai", apiKey: "azure-key",
      http: RetryingHTTPClient(client: CurlHTTPClient(), sleeper: ManualClock()))
    provider.keyHeader = "api-key"
    provider.extraQuery = [URLQueryItem(name: "api-version", value: "2024-10-21")]
    provider.outputExpiresAfterSeconds = 7200
    let batch = try await provider.createBatch(inputFileID: "f", endpoint: "/v1/chat/completions", metadata: ["a": "b"])
    #expect(batch.id == "batch_1" && batch.raw["future_field"]?["x"]?.int == 1)
    let request = try #require(server.requests.first)
    #expect(request.path == "/openai/batches?api-version=2024-10-21")
    #expect(request.headers["api-key"] == "azure-key" && request.headers["authorization"] == nil)
    let body = try JSONDecoder().decode(JSONValue.self, from: request.body)
    #expect(body["output_expires_after"]?["seconds"]?.int == 7200 && body["metadata"]?["a"]?.string == "b")
  }

  @Test("an unknown future status is kept, not fatal")
  func futureStatus() throws {
    let json = try JSONDecoder().decode(
      JSONValue.self, from: Data(#"{"id":"b","status":"paused_for_review","created_at":5}"#.utf8))
    let batch = try OpenAIDecoding.batch(json, status: 200)
    #expect(batch.status == .other("paused_for_review") && !batch.status.isTerminal)
  }
}
