import Foundation
import Testing
import WordbenchTestSupport

@testable import WordbenchCore

@Suite("tar archives through libarchive")
struct TarArchiveTests {
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

  @Test(
    "a folder survives a tar.zst round trip byte for byte",
    arguments: [ArchiveCompression.zstd(level: 3), .gzip(level: 6)])
  func roundTrip(_ compression: ArchiveCompression) throws {
    let folder = TemporaryFolder()
    try folder.write("run/manifest.json", "{\"run\":\"r0001\"}")
    try folder.write(
      "run/requests/shard-001.jsonl", String(repeating: "{\"custom_id\":\"r0001-000001\"}\n", count: 5000))
    try folder.write("run/empty.txt", "")
    try folder.write("run/naïve ünïcode.txt", "wörds")
    try folder.write("run/binary.bin", bytes: (0..<70_000).map { UInt8(truncatingIfNeeded: $0 &* 31) })
    let archive = folder.file("r0001.tar.zst")
    try TarArchive.create(from: folder.file("run"), rootName: "r0001", to: archive, compression: compression)

    let magic = try [UInt8](Data(contentsOf: archive).prefix(4))
    if case .zstd = compression {
      #expect(magic == [0x28, 0xB5, 0x2F, 0xFD])
    } else {
      #expect(magic.prefix(2) == [0x1F, 0x8B])
    }

    let listing = try TarArchive.list(archive)
    #expect(listing.first?.path == "r0001/")
    #expect(listing.contains { $0.path == "r0001/requests/shard-001.jsonl" && $0.kind == .file })

    let out = folder.file("out")
    let written = try TarArchive.extract(archive, into: out)
    #expect(written.contains("r0001/binary.bin"))
    #expect(try snapshot(out.appendingPathComponent("r0001")) == snapshot(folder.file("run")))
  }

  @Test("extraction refuses to overwrite its destination")
  func refusesOverwrite() throws {
    let folder = TemporaryFolder()
    try folder.write("run/a.txt", "a")
    try TarArchive.create(
      from: folder.file("run"), rootName: "r1", to: folder.file("a.tar.zst"), compression: .zstd(level: 1))
    try folder.write("out/keep.txt", "keep")
    #expect(throws: ArchiveError.destinationExists(path: folder.file("out").path)) {
      try TarArchive.extract(folder.file("a.tar.zst"), into: folder.file("out"))
    }
  }

  @Test(
    "entry names that would leave the destination are refused",
    arguments: ["/etc/passwd", "../up", "a/../../b", "./", ""])
  func unsafeNames(_ name: String) {
    #expect(throws: ArchiveError.self) { try TarArchive.safeComponents(name, archive: "x.tar") }
  }

  @Test("the archive digest (Nettle) agrees with the portable SHA-256", arguments: [0, 1, 55, 56, 64, 1000, 300_001])
  func digest(_ count: Int) {
    let bytes = (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }
    var fast = FileDigest()
    // Fed in uneven pieces, as file blocks come.
    var start = 0
    while start < bytes.count {
      let end = min(bytes.count, start + 1 + start % 977)
      bytes[start..<end].withUnsafeBytes { fast.update($0) }
      start = end
    }
    #expect(fast.hex() == SHA256.hex(bytes))
  }

  @Test("a sparse entry (GNU tar --sparse) reads, hashes and extracts as its whole file, holes as zeros")
  func sparseEntry() throws {
    let folder = TemporaryFolder()
    // Data, a hole, data, and a hole at the end that only the file's size records.
    var content = [UInt8](repeating: 0, count: 5 << 20)
    for index in 0..<1000 { content[index] = UInt8(truncatingIfNeeded: index &* 7 &+ 1) }
    for index in (3 << 20)..<((3 << 20) + 300_000) { content[index] = UInt8(truncatingIfNeeded: index &* 13 &+ 5) }
    let file = folder.file("in/sparse.bin")
    try FileManager.default.createDirectory(at: folder.file("in"), withIntermediateDirectories: true)
    let handle = try FileHandle(forWritingTo: try folder.write("in/sparse.bin", bytes: []))
    try handle.write(contentsOf: content[0..<1000])
    try handle.seek(toOffset: 3 << 20)
    try handle.write(contentsOf: content[(3 << 20)..<((3 << 20) + 300_000)])
    try handle.truncate(atOffset: UInt64(content.count))
    try handle.close()
    #expect(try Data(contentsOf: file) == Data(content))
    let tar = try ChildProcess.run(
      URL(fileURLWithPath: "/bin/tar"),
      ["--sparse", "-cf", folder.file("sparse.tar").path, "-C", folder.file("in").path, "sparse.bin"])
    try #require(tar.status == 0, "\(tar.stderr)")

    let scan = try TarArchive.scan(folder.file("sparse.tar"), capturing: "sparse.bin")
    #expect(scan.captured.map { Data($0) } == Data(content))
    #expect(scan.sha256["sparse.bin"] == SHA256.hex(content))
    _ = try TarArchive.extract(folder.file("sparse.tar"), into: folder.file("out"))
    #expect(try Data(contentsOf: folder.file("out/sparse.bin")) == Data(content))
  }

  @Test("reading back finds any byte that differs from the folder, and any file missing or extra")
  func firstDifference() throws {
    let folder = TemporaryFolder()
    try folder.write("run/a.txt", String(repeating: "alpha ", count: 100_000))
    try folder.write("run/b/c.txt", "gamma")
    let archive = folder.file("r.tar.zst")
    let written = try TarArchive.create(
      from: folder.file("run"), rootName: "r1", to: archive, compression: .zstd(level: 1), checksumsName: "SUMS")
    let sums = ["SUMS": TarArchive.checksumListing(written)]
    func difference(_ expected: Set<String> = ["a.txt", "b/c.txt"]) throws -> String? {
      try TarArchive.firstDifference(
        archive, folder: folder.file("run"), rootName: "r1", expected: expected, inMemory: sums)
    }
    #expect(try difference() == nil)
    #expect(try difference(["a.txt", "b/c.txt", "d.txt"]) == "r1/d.txt is missing")
    #expect(try difference(["a.txt"]) == "r1/b/c.txt was not written")
    try folder.write("run/b/c.txt", "gamma!")
    #expect(try difference() == "r1/b/c.txt is shorter than what was written")
    try folder.write("run/a.txt", String(repeating: "alpha ", count: 99_999) + "ALPHA ")
    #expect(try difference()?.hasPrefix("r1/a.txt differs from what was written at byte") == true)
  }

  @Test("an archive read back while it is written is the same archive, with every file's checksum")
  func verifiedWhileWritten() throws {
    let folder = TemporaryFolder()
    // Larger than the hasher's four blocks, so its buffers are reused, and uneven, so the last block is short.
    let large = (0..<(5 * TarArchive.blockSize + 12_345)).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 11) }
    try folder.write("run/requests/shard-001.jsonl", bytes: large)
    try folder.write("run/manifest.json", "{\"run\":\"r0001\"}")
    try folder.write("run/empty.txt", "")
    let plain = folder.file("plain.tar.zst")
    let verified = folder.file("verified.tar.zst")
    let expected = try TarArchive.create(
      from: folder.file("run"), rootName: "r0001", to: plain, compression: .zstd(level: 3), checksumsName: "SUMS")
    let written = try TarArchive.createVerified(
      from: folder.file("run"), rootName: "r0001", to: verified, compression: .zstd(level: 3), checksumsName: "SUMS")
    #expect(written == expected)
    #expect(try Data(contentsOf: verified) == Data(contentsOf: plain))
    #expect(written.first { $0.path == "requests/shard-001.jsonl" }?.sha256 == SHA256.hex(large))
    #expect(written.map(\.path) == ["empty.txt", "manifest.json", "requests/shard-001.jsonl"])
  }

  @Test(
    "a write that fails (a full disk) is reported with its cause",
    .enabled(if: FileManager.default.fileExists(atPath: "/dev/full")))
  func fullDisk() throws {
    let folder = TemporaryFolder()
    try folder.write("run/a.txt", String(repeating: "alpha ", count: 100_000))
    #expect(throws: FileSystemError.cannotWrite(path: "/dev/full", errno: ENOSPC)) {
      try TarArchive.create(
        from: folder.file("run"), rootName: "r1", to: URL(fileURLWithPath: "/dev/full"), compression: .zstd(level: 1))
    }
  }

  @Test("a reader following a file being written gets every byte in order, then the end")
  func followsTheWriter() throws {
    let folder = TemporaryFolder()
    let file = try GrowingFile(creating: folder.file("growing"))
    let reader = BackgroundWork { () -> [UInt8] in
      var bytes: [UInt8] = []
      var block: UnsafeRawPointer?
      while true {
        let count = file.readNext(into: &block)
        guard count > 0, let block else { return count == 0 ? bytes : [] }
        bytes.append(contentsOf: UnsafeRawBufferPointer(start: block, count: count))
      }
    }
    var sent: [UInt8] = []
    for size in [1, 70_000, 0, TarArchive.blockSize + 3, 5] {
      let piece = (0..<size).map { UInt8(truncatingIfNeeded: $0 &+ sent.count) }
      if size > 0 { #expect(piece.withUnsafeBytes { file.append($0.baseAddress!, count: size) } == size) }
      sent += piece
    }
    file.finish()
    #expect(try reader.result() == sent)
  }

  @Test("what a read-back finds is judged against what the writer wrote")
  func readBackJudgement() {
    var found = ReadBack(rootName: "r1", seen: ["a.txt", "SUMS"], captured: ["SUMS": [1, 2]])
    #expect(found.firstDifference(expected: ["a.txt"], inMemory: ["SUMS": [1, 2]]) == nil)
    #expect(
      found.firstDifference(expected: ["a.txt"], inMemory: ["SUMS": [1]]) == "r1/SUMS differs from what was written")
    #expect(found.firstDifference(expected: [], inMemory: ["SUMS": [1, 2]]) == "r1/a.txt was not written")
    #expect(found.firstDifference(expected: ["a.txt", "b.txt"], inMemory: [:]) == "r1/SUMS was not written")
    #expect(found.firstDifference(expected: ["a.txt", "b.txt"], inMemory: ["SUMS": [1, 2]]) == "r1/b.txt is missing")
    found.withoutOriginal = ["a.txt"]
    #expect(
      found.firstDifference(expected: ["a.txt"], inMemory: ["SUMS": [1, 2]])
        == "r1/a.txt is no longer in the folder to compare with")
    found.difference = "r1/a.txt differs from what was written at byte 0"
    #expect(found.firstDifference(expected: ["a.txt"], inMemory: ["SUMS": [1, 2]]) == found.difference)
  }

  @Test("a file that is not an archive is a clear error")
  func notAnArchive() throws {
    let folder = TemporaryFolder()
    let bogus = try folder.write("bogus.tar.zst", String(repeating: "nonsense ", count: 100))
    #expect(throws: ArchiveError.self) { try TarArchive.list(bogus) }
  }
}
