import Foundation
import Testing
import WordbenchTestSupport

@testable import WordbenchCore

@Suite("Runs")
struct RunStoreTests {
  @Test("runs are numbered r0001, r0002, ... and archived numbers are not reused")
  func numbering() throws {
    let test = TestContext()
    let store = RunStore(workspace: try test.workspace())
    let first = try store.create(parameters: ["words": 10], context: test.context())
    let second = try store.create(parameters: [:], context: test.context())
    #expect([first.id.name, second.id.name] == ["r0001", "r0002"])
    try Data().write(to: store.folder.appendingPathComponent("r0007.tar.zst"))
    let next = try store.create(parameters: [:], context: test.context())
    #expect(next.id.name == "r0008")
    #expect(store.list().map(\.run) == ["r0001", "r0002", "r0007", "r0008"])
    #expect(store.list().map(\.archived) == [false, false, true, false])
    #expect(try first.readManifest().parameters["words"] == 10)
  }

  @Test("a creation interrupted before its rename leaves no run, and its number is used next time")
  func interruptedCreation() throws {
    let test = TestContext()
    let store = RunStore(workspace: try test.workspace())
    _ = try store.create(parameters: [:], context: test.context())
    // What a process killed in the middle of creating r0002 leaves behind.
    let staging = store.folder.appendingPathComponent(".r0002.creating-999")
    try FileManager.default.createDirectory(at: staging, withIntermediateDirectories: true)
    try Data("{\"schema_version\": 1".utf8).write(to: staging.appendingPathComponent("manifest.json"))
    #expect(store.list().map(\.run) == ["r0001"])
    let next = try store.create(parameters: [:], context: test.context())
    #expect(next.id.name == "r0002")
    #expect(!FileManager.default.fileExists(atPath: staging.path))
    #expect(try next.readManifest().run == "r0002")
  }

  @Test("a manifest write interrupted between temp file and rename keeps the previous manifest")
  func interruptedManifestWrite() throws {
    let test = TestContext()
    let run = try RunStore(workspace: try test.workspace()).create(parameters: [:], context: test.context())
    var manifest = try run.readManifest()
    manifest.record(.prepare, .done, at: test.clock.now())
    #expect(throws: AtomicFile.Interrupted.self) { try run.writeManifest(manifest, interruption: .abandonBeforeRename) }
    #expect(try run.readManifest().state(of: .prepare) == .pending)
    try run.writeManifest(manifest)
    #expect(try run.readManifest().state(of: .prepare) == .done)
    #expect(try run.readManifest().stage == "prepared")
  }

  @Test("step records go to the manifest and the event log")
  func recordsSteps() throws {
    let test = TestContext()
    let run = try RunStore(workspace: try test.workspace()).create(parameters: [:], context: test.context())
    try run.record(.prepare, .running, message: "preparing", context: test.context())
    test.clock.advance(by: .seconds(5))
    try run.record(.prepare, .done, message: "3 shards", context: test.context())
    let manifest = try run.readManifest()
    #expect(manifest.steps["prepare"]?.message == "3 shards")
    #expect(manifest.steps["prepare"]?.updatedAt == test.clock.now())
    #expect(try run.events().map(\.kind) == ["created", "running", "done"])
  }

  @Test("a torn last event line from a crash is skipped")
  func tornEvent() throws {
    let test = TestContext()
    let run = try RunStore(workspace: try test.workspace()).create(parameters: [:], context: test.context())
    try AppendOnlyFile.append(Data("{\"time\":\"2026".utf8), to: run.eventsURL)
    #expect(try run.events().map(\.kind) == ["created"])
  }

  @Test("a damaged or too new manifest is reported in the listing, not thrown")
  func damagedManifest() throws {
    let test = TestContext()
    let store = RunStore(workspace: try test.workspace())
    let damaged = try store.create(parameters: [:], context: test.context())
    let newer = try store.create(parameters: [:], context: test.context())
    try Data("{not json".utf8).write(to: damaged.manifestURL)
    try Data("{\"schema_version\": 99}".utf8).write(to: newer.manifestURL)
    let listing = store.list()
    #expect(listing.map(\.stage) == ["unreadable", "unreadable"])
    #expect(listing[0].problem?.contains("manifest.json") == true)
    #expect(listing[1].problem?.contains("upgrade wordbench") == true)
    #expect(throws: WorkspaceError.unknownRun("r0009")) { try store.open(RunID(9)) }
  }

  @Test("run ids parse from r0003, r3 and 3", arguments: ["r0003", "r3", "3"])
  func parsesIDs(_ text: String) {
    #expect(RunID(parsing: text)?.name == "r0003")
  }
}
