import Foundation
import Testing
import WordbenchTestSupport

@testable import WordbenchCore

@Suite("AtomicFile")
struct AtomicFileTests {
  @Test("replaces a file's content whole and leaves no temporary file")
  func replaces() throws {
    let folder = TemporaryFolder()
    let target = folder.file("data.json")
    try AtomicFile.write(Data("one".utf8), to: target)
    try AtomicFile.write(Data("two".utf8), to: target)
    #expect(try folder.read("data.json") == "two")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["data.json"])
  }

  @Test("a crash between the flushed temporary file and the rename leaves the old content readable")
  func crashBeforeRename() throws {
    let folder = TemporaryFolder()
    let target = folder.file("data.json")
    try AtomicFile.write(Data("old".utf8), to: target)
    #expect(throws: AtomicFile.Interrupted.self) {
      try AtomicFile.write(Data("new".utf8), to: target, interruption: .abandonBeforeRename)
    }
    #expect(try folder.read("data.json") == "old")
    let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.path).filter {
      $0.hasPrefix(AtomicFile.temporaryPrefix)
    }
    #expect(leftovers.count == 1)
    AtomicFile.removeLeftovers(in: folder.url)
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["data.json"])
  }

  @Test("a failing streamed write leaves the target untouched")
  func failingStream() throws {
    struct Boom: Error {}
    let folder = TemporaryFolder()
    let target = folder.file("big.txt")
    try AtomicFile.write(Data("kept".utf8), to: target)
    #expect(throws: Boom.self) {
      try AtomicFile.stream(to: target) { writer in
        try writer.write("partial")
        throw Boom()
      }
    }
    #expect(try folder.read("big.txt") == "kept")
    #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["big.txt"])
  }

  @Test("files are created private to the user")
  func permissions() throws {
    let folder = TemporaryFolder()
    let target = folder.file("secret.json")
    try AtomicFile.write(Data("{}".utf8), to: target)
    let mode = try FileManager.default.attributesOfItem(atPath: target.path)[.posixPermissions] as? Int
    #expect(mode == 0o600)
  }
}
