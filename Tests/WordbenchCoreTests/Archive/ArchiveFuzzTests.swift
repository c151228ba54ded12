import Foundation
import Testing
import WordbenchTestSupport

@testable import WordbenchCore

/// Seeded mutation fuzzing of archive listing, scanning and extraction: damaged plain, zstd and gzip tars.
@Suite("Fuzzing: archives")
struct ArchiveFuzzTests {
  let folder = TemporaryFolder("wordbench-fuzz-archive")

  /// The seeds: a small run folder packed with zstd and gzip by wordbench itself, and a plain ustar of it.
  func seeds() throws -> [[UInt8]] {
    let run = folder.file("source/r0001")
    try FileManager.default.createDirectory(
      at: run.appendingPathComponent("requests"), withIntermediateDirectories: true)
    try "1\tgoose\tgoose\n".write(to: run.appendingPathComponent("words.tsv"), atomically: true, encoding: .utf8)
    try #"{"run":"r0001"}"#.write(to: run.appendingPathComponent("manifest.json"), atomically: true, encoding: .utf8)
    try String(repeating: "{\"custom_id\":\"x\"}\n", count: 40).write(
      to: run.appendingPathComponent("requests/shard-001.jsonl"), atomically: true, encoding: .utf8)
    var seeds: [[UInt8]] = []
    for (name, compression) in [("a.tar.zst", ArchiveCompression.zstd(level: 3)), ("a.tar.gz", .gzip(level: 6))] {
      let url = folder.file(name)
      _ = try TarArchive.create(
        from: run, rootName: "r0001", to: url, compression: compression, checksumsName: "SHA256SUMS")
      seeds.append(Array(try Data(contentsOf: url)))
    }
    var plain = HostileTar()
    plain.add("r0001/", .directory)
    plain.add("r0001/words.tsv", content: "1\tgoose\tgoose\n")
    plain.add("r0001/manifest.json", content: #"{"run":"r0001"}"#)
    seeds.append(plain.bytes + [UInt8](repeating: 0, count: 1024))
    return seeds
  }

  @Test("a mutated archive lists, scans and extracts, or fails with an ArchiveError; nothing lands outside")
  func mutations() throws {
    let seeds = try seeds()
    let sandbox = folder.file("sandbox")
    try FileManager.default.createDirectory(at: sandbox, withIntermediateDirectories: true)
    var mutator = Mutator(seed: 16, "archives")
    var refused = 0
    let rounds = Mutator.rounds(450)
    for round in 0..<rounds {
      let archive = folder.file("fuzz.tar")
      try Data(mutator.mutate(seeds[round % seeds.count])).write(to: archive)
      let destination = sandbox.appendingPathComponent("d\(round)")
      do {
        _ = try TarArchive.list(archive)
        _ = try TarArchive.scan(archive, capturing: "r0001/SHA256SUMS")
        _ = try TarArchive.extract(archive, into: destination) { components in
          components.first == "r0001" ? nil : "outside the run's folder"
        }
      } catch is ArchiveError {
        refused += 1
      }
    }
    // Whatever the archive held, the sandbox holds only the destinations made for it.
    let names = try FileManager.default.contentsOfDirectory(atPath: sandbox.path)
    #expect(names.allSatisfy { $0.hasPrefix("d") }, "\(names)")
    #expect(refused > 0 && refused < rounds)
  }
}
