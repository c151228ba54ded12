import Foundation
import Testing
import WordbenchTestSupport

@testable import WordbenchCore

/// Seeded mutation fuzzing of `workspace.toml` and `manifest.json`, both files a person may edit by hand.
@Suite("Fuzzing: workspace.toml and manifest.json")
struct ConfigAndManifestFuzzTests {
  let folder = TemporaryFolder("wordbench-fuzz-config")

  @Test("a mutated workspace.toml loads, or is refused with a WorkspaceError naming the file")
  func config() throws {
    let file = folder.file("workspace.toml")
    var config = WorkspaceConfig()
    config.models["gpt-4o-mini"] = ModelOverride()
    let seed =
      Array(WorkspaceConfigFile.render(config).utf8)
      + Array("\n[models.\"gpt-4o-mini\"]\ninput_price = 0.15\ntemperature = true\n".utf8)
    var mutator = Mutator(seed: 12, "config")
    var refused = 0
    let rounds = Mutator.rounds(1500)
    for _ in 0..<rounds {
      try Data(mutator.mutate(seed)).write(to: file)
      do {
        _ = try WorkspaceConfigFile.load(from: file)
      } catch {
        refused += 1
        #expect(error.description.contains("workspace.toml"), "\(error)")
      }
    }
    #expect(refused > 0 && refused < rounds)
  }

  @Test("a mutated manifest.json is read, or refused with a WorkspaceError naming the run")
  func manifest() throws {
    var manifest = RunManifest(
      run: RunID(1), createdAt: Date(timeIntervalSince1970: 1_800_000_000),
      parameters: ["model": "gpt-4o-mini", "batch_size": 50, "force_refresh": false])
    manifest.record(.prepare, .done, at: Date(timeIntervalSince1970: 1_800_000_100), message: "2 shards")
    var shard = ShardRecord(
      index: 1, file: ShardRecord.fileName(1), lines: 50, bytes: 170_000, inputTokens: 38_000,
      estimatedOutputTokens: 20_000, estimatedCostUSD: 0.009)
    var remote = ShardRemote(intent: "r0001-s1-abc")
    remote.fileID = "file-1"
    remote.batchID = "batch_1"
    remote.status = .completed
    remote.requestCounts = RequestCounts(total: 50, completed: 49, failed: 1)
    shard.remote = remote
    manifest.shards = [shard]
    let runFolder = folder.file("runs/r0001")
    try FileManager.default.createDirectory(at: runFolder, withIntermediateDirectories: true)
    let run = RunFolder(id: RunID(1), url: runFolder)
    let seed = Array(try JSONCoding.encoder().encode(manifest))
    var mutator = Mutator(seed: 13, "manifest")
    var refused = 0
    let rounds = Mutator.rounds(1500)
    for _ in 0..<rounds {
      try Data(mutator.mutate(seed)).write(to: runFolder.appendingPathComponent(RunFolder.manifestFileName))
      do {
        _ = try run.readManifest()
      } catch {
        refused += 1
        #expect(error.description.contains("r0001"), "\(error)")
      }
    }
    #expect(refused > 0 && refused < rounds)
  }
}
