import Foundation
import Testing
import WordbenchTestSupport

@testable import WordbenchCore

@Suite("Prepare")
struct PrepareTests {
  let test = TestContext()

  /// A workspace holding the sample corpus; the real environment, so the lexicon cache is shared between tests.
  func sampleWorkspace(config: String? = nil) async throws -> (Workspace, WordbenchContext) {
    var workspace = try test.workspace()
    if let config {
      try Data(config.utf8).write(to: workspace.configURL)
      workspace = try Workspace.open(at: workspace.root)
    }
    let context = test.context(environment: ProcessInfo.processInfo.environment)
    let sample = Samples.corpus.path
    _ = try await Corpus.importFiles(
      [sample], column: nil, workspace: workspace.root.path, waitForLock: false, context: context)
    return (workspace, context)
  }

  /// Prepare options taking `words` words.
  func options(words: Int? = nil) -> PrepareOptions {
    var options = PrepareOptions()
    options.words = words
    return options
  }

  func prepare(_ options: PrepareOptions, _ workspace: Workspace, _ context: WordbenchContext) async throws
    -> PrepareReport
  {
    try await Prepare.run(options: options, workspace: workspace.root.path, context: context)
  }

  struct Request: Decodable {
    var customID: String
    var method: String
    var url: String
    var body: JSONValue
    enum CodingKeys: String, CodingKey {
      case method, url, body
      case customID = "custom_id"
    }
  }

  @Test("a run folder holds words.tsv, shards within every limit and a manifest that matches them")
  func prepare() async throws {
    let (workspace, context) = try await sampleWorkspace()
    var options = PrepareOptions()
    options.words = 250
    options.batchSize = 100
    let report = try await Prepare.run(options: options, workspace: workspace.root.path, context: context)
    #expect(report.run == "r0001" && report.words == 250)
    #expect(report.shards.map(\.lines) == [100, 100, 50])

    let folder = try RunStore(workspace: workspace).open(RunID(1))
    let words = try RunWriter.readWords(folder)
    #expect(words.map(\.word.index) == Array(1...250))
    var seenIDs = Set<String>()
    var inputTokens = 0
    for shard in report.shards {
      let url = folder.url.appendingPathComponent(shard.file)
      let bytes = try Data(contentsOf: url)
      #expect(bytes.count == shard.bytes)
      #expect(bytes.last == 0x0A && !bytes.starts(with: [0xEF, 0xBB, 0xBF]))
      let lines = bytes.split(separator: 0x0A)
      #expect(lines.count == shard.lines)
      for line in lines {
        let request = try JSONDecoder().decode(Request.self, from: Data(line))
        #expect(request.method == "POST" && request.url == "/v1/chat/completions")
        #expect(seenIDs.insert(request.customID).inserted)
        let index = try #require(Int(request.customID.split(separator: "-")[1]))
        guard case .object(let body) = request.body, case .array(let messages)? = body["messages"],
          case .object(let user) = messages[1], case .string(let content)? = user["content"]
        else { throw TestFailure("no user message in \(request.customID)") }
        #expect(content.contains("Headword: \(words[index - 1].word.word)\n"))
      }
      inputTokens += shard.inputTokens
    }
    #expect(seenIDs.count == 250)
    let manifest = try folder.readManifest()
    #expect(manifest.state(of: .prepare) == .done)
    #expect(manifest.shards == report.shards)
    #expect(manifest.estimate?.inputTokens == inputTokens)
    #expect(manifest.wordsMarked == true)
    #expect(manifest.parameters["schema_sha256"] == .string(try schemaHash(workspace)))

    // The run's corpus words are in flight, so the next prepare takes the next words.
    let store = try DictionaryStore(workspace: workspace)
    let inFlight = try store.words(withStatus: .inFlight)
    #expect(Set(words.flatMap(\.corpusWords)).isSubset(of: inFlight))
    let next = try await Prepare.run(options: options, workspace: workspace.root.path, context: context)
    let nextWords = try RunWriter.readWords(try RunStore(workspace: workspace).open(RunID(2)))
    #expect(next.run == "r0002")
    #expect(Set(nextWords.map(\.word.word)).isDisjoint(with: words.map(\.word.word)))
  }

  func schemaHash(_ workspace: Workspace) throws -> String {
    SHA256.hex(Array(try Data(contentsOf: workspace.templatesFolder.appendingPathComponent(EntrySchema.fileName))))
  }

  @Test("over --max-cost or the per-run budget, nothing is written and the estimate is in the message")
  func budget() async throws {
    let (workspace, context) = try await sampleWorkspace(config: "[budget]\nmax_cost_per_run = 0.001\n")
    var options = PrepareOptions()
    options.words = 100
    await #expect {
      try await Prepare.run(options: options, workspace: workspace.root.path, context: context)
    } throws: { error in
      guard case RequestError.overBudget(let limit, _, let estimate, let words) = error else { return false }
      return limit == "[budget] max_cost_per_run" && estimate > 0.001 && words == 100
        && error.localizedDescription.isEmpty == false
    }
    options.maxCost = 0.0001
    await #expect(throws: RequestError.self) {
      try await Prepare.run(options: options, workspace: workspace.root.path, context: context)
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.runsFolder.path).isEmpty)
    #expect(try DictionaryStore(workspace: workspace).words(withStatus: .inFlight).isEmpty)
  }

  @Test("a custom word list takes exactly its words and reports those the corpus lacks")
  func wordList() async throws {
    let (workspace, context) = try await sampleWorkspace()
    let list = try test.folder.write("list.txt", "# mine\nmade\nzzznotaword\n\nbook\nmade\n")
    var options = PrepareOptions()
    options.wordsFile = list.path
    let report = try await Prepare.run(options: options, workspace: workspace.root.path, context: context)
    #expect(report.words == 2)
    #expect(report.unknownWords == ["zzznotaword"])
    let words = try RunWriter.readWords(try RunStore(workspace: workspace).open(RunID(1)))
    #expect(words.map(\.word.word) == ["made", "book"])
    #expect(words.map(\.word.lemma) == ["make", "book"])
    #expect(test.progress.notices.contains { $0.message.contains("zzznotaword") })
    // Both are in flight now: a second prepare of the same list has nothing to do.
    await #expect(throws: RequestError.self) {
      try await Prepare.run(options: options, workspace: workspace.root.path, context: context)
    }
  }

  @Test("--redo rebuilds a run not yet uploaded with its words, and refuses one whose upload started")
  func redo() async throws {
    let (workspace, context) = try await sampleWorkspace()
    let first = try await prepare(options(words: 120), workspace, context)
    #expect(first.shards.count == 1)
    var redo = PrepareOptions()
    redo.redo = "r1"
    redo.batchSize = 50
    let rebuilt = try await prepare(redo, workspace, context)
    #expect(rebuilt.redone && rebuilt.run == "r0001")
    #expect(rebuilt.shards.map(\.lines) == [50, 50, 20])
    #expect(rebuilt.estimate.inputTokens == first.estimate.inputTokens)
    let folder = try RunStore(workspace: workspace).open(RunID(1))
    let files = try FileManager.default.contentsOfDirectory(atPath: folder.url.appendingPathComponent("requests").path)
    #expect(files.sorted() == ["shard-001.jsonl", "shard-002.jsonl", "shard-003.jsonl"])
    #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.runsFolder.path) == ["r0001"])

    try folder.record(.upload, .running, message: "uploading", context: context)
    await #expect(throws: RequestError.cannotRedo(run: "r0001", reason: "its upload step has started")) {
      try await prepare(redo, workspace, context)
    }
  }

  @Test("a crash between creating the run and marking its words is finished by the next prepare")
  func unmarkedRun() async throws {
    let (workspace, context) = try await sampleWorkspace()
    _ = try await prepare(options(words: 30), workspace, context)
    let folder = try RunStore(workspace: workspace).open(RunID(1))
    let words = try RunWriter.readWords(folder).flatMap(\.corpusWords)
    let store = try DictionaryStore(workspace: workspace)
    try store.setStatus(.pending, of: words)
    try folder.updateManifest { $0.wordsMarked = false }

    _ = try await prepare(options(words: 30), workspace, context)
    #expect(Set(words).isSubset(of: try store.words(withStatus: .inFlight)))
    #expect(try folder.readManifest().wordsMarked == true)
    let second = try RunWriter.readWords(try RunStore(workspace: workspace).open(RunID(2))).flatMap(\.corpusWords)
    #expect(Set(second).isDisjoint(with: words))
  }

  @Test("words in flight in a run folder removed by hand are pending again at the next prepare, and sent in it")
  func removedRunFolder() async throws {
    let (workspace, context) = try await sampleWorkspace()
    _ = try await prepare(options(words: 30), workspace, context)
    _ = try await prepare(options(words: 30), workspace, context)
    let runs = RunStore(workspace: workspace)
    let removed = try RunWriter.readWords(try runs.open(RunID(1))).flatMap(\.corpusWords)
    let kept = try RunWriter.readWords(try runs.open(RunID(2))).flatMap(\.corpusWords)
    try FileManager.default.removeItem(at: try runs.open(RunID(1)).url)

    _ = try await prepare(options(words: 30), workspace, context)
    #expect(
      test.progress.notices.contains {
        $0.message == "\(removed.count) words were in flight in run r0001, which has no folder or archive any more; "
          + "they are pending again"
      })
    let third = try RunWriter.readWords(try runs.open(RunID(3))).flatMap(\.corpusWords)
    #expect(Set(third) == Set(removed))
    let store = try DictionaryStore(workspace: workspace)
    #expect(try store.inFlightRuns() == ["r0002": kept.count, "r0003": third.count])
  }

  @Test("a broken template stops prepare before any run exists, naming the file and line")
  func brokenTemplate() async throws {
    let (workspace, context) = try await sampleWorkspace()
    let prompt = workspace.templatesFolder.appendingPathComponent(PromptTemplate.fileName)
    try Data("## system\nhi\n## user\n{{word}}\n".utf8).write(to: prompt)
    await #expect {
      try await Prepare.run(options: PrepareOptions(), workspace: workspace.root.path, context: context)
    } throws: { error in
      guard case RequestError.template(let file, let line, _) = error else { return false }
      return file == prompt.path && line == 4
    }
    #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.runsFolder.path).isEmpty)
  }
}

struct TestFailure: Error, CustomStringConvertible {
  var description: String
  init(_ description: String) { self.description = description }
}
