import Foundation
import Testing
import WordbenchTestSupport

@testable import WordbenchCore
@testable import WordbenchEmulator

@Suite("Archiving runs")
struct RunArchiverTests {
  let test = TestContext()

  /// A sample workspace with one prepared run of 40 words in two shards (not merged).
  func prepared() async throws -> (Workspace, WordbenchContext) {
    let workspace = try test.workspace()
    let context = test.context()
    _ = try await Corpus.importFiles(
      [Samples.corpus.path], column: nil, workspace: workspace.root.path, waitForLock: false, context: context)
    var options = PrepareOptions()
    options.words = 40
    options.batchSize = 20
    _ = try await Prepare.run(options: options, workspace: workspace.root.path, context: context)
    return (workspace, context)
  }

  /// Every file under `root` with its content, by relative path.
  func snapshot(_ root: URL) throws -> [String: Data] {
    var result: [String: Data] = [:]
    let enumerator = FileManager.default.enumerator(atPath: root.path)
    while let relative = enumerator?.nextObject() as? String {
      let url = root.appendingPathComponent(relative)
      if POSIXFile.isRegularFile(url) { result[relative] = try Data(contentsOf: url) }
    }
    return result
  }

  func options(_ runs: [String] = ["r1"], force: Bool = true) -> ArchiveOptions {
    var options = ArchiveOptions()
    options.runs = runs
    options.force = force
    return options
  }

  /// Hidden leftovers in the runs folder (staging folders, `.part` files).
  func hiddenNames(_ workspace: Workspace) -> [String] {
    ((try? FileManager.default.contentsOfDirectory(atPath: workspace.runsFolder.path)) ?? []).filter {
      $0.hasPrefix(".")
    }
  }

  @Test("archive packs a run with its checksums, verifies it, removes the folder; unarchive brings it back")
  func roundTrip() async throws {
    let (workspace, context) = try await prepared()
    let path = workspace.root.path
    let folder = workspace.runsFolder.appendingPathComponent("r0001")
    let before = try snapshot(folder)

    await #expect(throws: ArchiveError.notFinished(run: "r0001")) {
      try await RunArchiver.archive(options: options(force: false), workspace: path, context: context)
    }
    let report = try await RunArchiver.archive(options: options(), workspace: path, context: context)
    let archived = try #require(report.archived.first)
    #expect(archived.run == "r0001" && archived.files == before.count && archived.archiveBytes > 0)
    #expect(!POSIXFile.exists(folder) && hiddenNames(workspace).isEmpty)
    let archive = workspace.runsFolder.appendingPathComponent("r0001.tar.zst")
    let mode = try FileManager.default.attributesOfItem(atPath: archive.path)[.posixPermissions] as? Int
    #expect(mode == 0o600)
    // Listed from the manifest inside the archive.
    let listed = try #require(RunStore(workspace: workspace).list().first)
    #expect(listed.stage == "archived" && listed.archived && listed.createdAt != nil)
    #expect(listed.steps["archive"]?.state == .done && listed.steps["prepare"]?.state == .done)
    let again = try await RunArchiver.archive(options: options(), workspace: path, context: context)
    #expect(again.skipped["r0001"] == "already archived" && again.archived.isEmpty)

    let listing = try RunArchiver.list("r1", workspace: path, context: context)
    #expect(listing.contains { $0.path == "r0001/SHA256SUMS" } && listing.contains { $0.path == "r0001/words.tsv" })
    #expect(try RunArchiver.verify("r1", workspace: path, context: context).files == before.count)

    let restored = try await RunArchiver.unarchive("r1", workspace: path, context: context)
    #expect(restored.files == before.count && POSIXFile.isRegularFile(archive))
    let after = try snapshot(folder)
    #expect(after.keys.sorted() == before.keys.sorted())
    for (name, data) in before where !["manifest.json", "events.jsonl"].contains(name) {
      #expect(after[name] == data, "\(name)")
    }
    let manifest = try RunFolder(id: RunID(1), url: folder).readManifest()
    #expect(manifest.state(of: .archive) == .pending && manifest.state(of: .prepare) == .done)
    await #expect(throws: ArchiveError.destinationExists(path: folder.path)) {
      try await RunArchiver.unarchive("r1", workspace: path, context: context)
    }
    // Archiving the restored run again replaces the archive.
    _ = try await RunArchiver.archive(options: options(), workspace: path, context: context)
    #expect(!POSIXFile.exists(folder) && POSIXFile.isRegularFile(archive))
  }

  @Test("tar.gz at a chosen level; a level out of range is refused", arguments: [ArchiveFormat.tarGzip, .tarZstd])
  func formats(_ format: ArchiveFormat) async throws {
    let (workspace, context) = try await prepared()
    var chosen = options()
    chosen.format = format
    chosen.level = format.levels.upperBound + 1
    await #expect(throws: ArchiveError.self) {
      try await RunArchiver.archive(options: chosen, workspace: workspace.root.path, context: context)
    }
    chosen.level = format.levels.lowerBound
    let report = try await RunArchiver.archive(options: chosen, workspace: workspace.root.path, context: context)
    #expect(report.archived.first?.archive.hasSuffix("r0001.\(format.rawValue)") == true)
    #expect(try RunArchiver.verify("r0001", workspace: workspace.root.path, context: context).files > 5)
  }

  @Test("--older-than takes only runs merged long enough ago")
  func olderThan() async throws {
    let (workspace, context) = try await prepared()
    try RunStore(workspace: workspace).open(RunID(1)).updateManifest {
      $0.record(.merge, .done, at: context.clock.now())
    }
    var chosen = ArchiveOptions()
    chosen.olderThan = AgeLimit(parsing: "2d")
    let early = try await RunArchiver.archive(options: chosen, workspace: workspace.root.path, context: context)
    #expect(early.archived.isEmpty && early.skipped["r0001"] == "finished less than 2d ago")
    test.clock.advance(by: .seconds(3 * 86400))
    let late = try await RunArchiver.archive(options: chosen, workspace: workspace.root.path, context: context)
    #expect(late.archived.map(\.run) == ["r0001"])
  }

  @Test("an archive interrupted at any point leaves the run folder or a valid archive, and the next run finishes")
  func interrupted() async throws {
    let (workspace, context) = try await prepared()
    let path = workspace.root.path
    let runs = RunStore(workspace: workspace)
    let folder = try runs.open(RunID(1))
    // Killed while writing: a hidden half-written .part beside the intact folder.
    let part = runs.stagingFolder(for: RunID(1), purpose: "archive", context: test.context(processID: 99))
      .appendingPathExtension("part")
    try Data("(zstd frame cut short)".utf8).write(to: part)
    #expect(runs.list().map(\.run) == ["r0001"] && runs.list()[0].archived == false)
    // Killed after the rename, before the folder went: the folder and a complete archive side by side.
    try TarArchive.create(
      from: folder.url, rootName: "r0001", to: runs.archiveURL(of: RunID(1), format: .tarZstd),
      compression: .zstd(level: 1), checksumsName: RunArchiver.checksumsName)
    let report = try await RunArchiver.archive(options: options(), workspace: path, context: context)
    #expect(report.archived.map(\.run) == ["r0001"])
    #expect(!POSIXFile.exists(folder.url) && hiddenNames(workspace).isEmpty)
    #expect(try RunArchiver.verify("r1", workspace: path, context: context).files > 5)

    // A truncated archive never passes for a valid one.
    let archive = runs.archiveURL(of: RunID(1), format: .tarZstd)
    let whole = try Data(contentsOf: archive)
    try whole.prefix(whole.count * 2 / 3).write(to: archive)
    #expect(throws: ArchiveError.self) { try RunArchiver.verify("r1", workspace: path, context: context) }
    await #expect(throws: ArchiveError.self) {
      try await RunArchiver.unarchive("r1", workspace: path, context: context)
    }
    #expect(!POSIXFile.exists(folder.url) && hiddenNames(workspace).isEmpty)
  }

  @Test("an unarchive interrupted midway leaves only a hidden folder, which the next command clears")
  func interruptedUnarchive() async throws {
    let (workspace, context) = try await prepared()
    let path = workspace.root.path
    _ = try await RunArchiver.archive(options: options(), workspace: path, context: context)
    let runs = RunStore(workspace: workspace)
    let staging = runs.stagingFolder(for: RunID(1), purpose: "unarchive", context: test.context(processID: 7))
    try FileManager.default.createDirectory(
      at: staging.appendingPathComponent("r0001/requests"), withIntermediateDirectories: true)
    #expect(runs.list().map(\.stage) == ["archived"])
    let restored = try await RunArchiver.unarchive("r1", workspace: path, context: context)
    #expect(restored.files > 5 && hiddenNames(workspace).isEmpty)
  }

  static let hostile: [(name: String, build: @Sendable (inout HostileTar) -> Void)] = [
    ("an absolute path", { $0.add("/tmp/wordbench-evil") }),
    ("a path with ..", { $0.add("r0002/../../evil") }),
    (
      "a name outside the run",
      {
        $0.add("r0002/")
        $0.add("elsewhere/evil")
      }
    ),
    ("a symlink out", { $0.add("r0002/link", .symbolicLink, link: "/tmp") }),
    ("a hard link out", { $0.add("r0002/passwd", .hardLink, link: "/etc/passwd") }),
    ("a device", { $0.add("r0002/tty", .characterDevice) }),
    (
      "a file through a planted symlink",
      {
        $0.add("r0002/link", .symbolicLink, link: "..")
        $0.add("r0002/link/evil", content: "x")
      }
    ),
  ]

  @Test("hostile archives are refused and nothing lands outside", arguments: hostile.map(\.name))
  func hostileArchives(_ name: String) async throws {
    let (workspace, context) = try await prepared()
    var tar = HostileTar()
    tar.add("r0002/")
    tar.add("r0002/SHA256SUMS", content: "")
    Self.hostile.first { $0.name == name }!.build(&tar)
    let archive = workspace.runsFolder.appendingPathComponent("r0002.tar.zst")
    try tar.write(to: archive)
    func refused(_ error: any Error) -> Bool {
      if case .unsafeEntry? = error as? ArchiveError { return true }
      return false
    }
    // Refused as unsafe, or (a file listed nowhere) as failing verification, which comes first.
    await #expect(
      performing: {
        try await RunArchiver.unarchive("r2", workspace: workspace.root.path, context: context)
      },
      throws: { error in
        if case .verificationFailed? = error as? ArchiveError { return true }
        return refused(error)
      })
    // Extraction itself refuses too, whatever verification would have said.
    let out = test.folder.file("out")
    #expect(
      performing: {
        try TarArchive.extract(archive, into: out) { $0.first == "r0002" ? nil : "outside the run" }
      }, throws: refused)
    for escaped in ["/tmp/wordbench-evil", workspace.runsFolder.appendingPathComponent("evil").path] {
      #expect(!FileManager.default.fileExists(atPath: escaped))
    }
    #expect(!POSIXFile.exists(workspace.runsFolder.appendingPathComponent("r0002")))
    #expect(!FileManager.default.fileExists(atPath: test.folder.file("evil").path))
    #expect(hiddenNames(workspace).isEmpty)
  }

  @Test("--delete-remote deletes the run's files at the provider, and again after they are gone")
  func deleteRemote() async throws {
    let lifecycle = BatchLifecycleTests()
    let (workspace, context, emulator) = try await lifecycle.setUp(words: 20, batchSize: 10)
    defer { emulator.stop() }
    _ = try await lifecycle.runThrough(workspace, context, emulator)
    #expect(lifecycle.counts(emulator).files == 4)
    var chosen = ArchiveOptions()
    chosen.runs = ["r1"]
    chosen.deleteRemote = true
    let report = try await RunArchiver.archive(options: chosen, workspace: workspace.root.path, context: context)
    #expect(report.archived.first?.remoteFilesDeleted == 4 && lifecycle.counts(emulator).files == 0)
    // Entries stay in the store.
    #expect(try DictionaryStore(workspace: workspace).entryCount() == 20)
    _ = try await RunArchiver.unarchive("r1", workspace: workspace.root.path, context: context)
    let again = try await RunArchiver.archive(options: chosen, workspace: workspace.root.path, context: context)
    #expect(again.archived.first?.remoteFilesDeleted == 4)
  }
}
