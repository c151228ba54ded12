import Foundation
import Testing
import WordbenchTestSupport

@testable import WordbenchCore

@Suite("LineReader")
struct LineReaderTests {
  /// Reads every line as text, with `.tooLong` shown as `<long N>`.
  func lines(of bytes: [UInt8], maxLineBytes: Int = 64, chunkSize: Int) throws -> [String] {
    let folder = TemporaryFolder()
    let url = try folder.write("input", bytes: bytes)
    var result: [String] = []
    try LineReader(url: url, maxLineBytes: maxLineBytes, chunkSize: chunkSize).forEachLine { number, line in
      #expect(number == result.count + 1)
      switch line {
      case .bytes(let raw): result.append(String(decoding: raw, as: UTF8.self))
      case .tooLong(let count): result.append("<long \(count)>")
      }
    }
    return result
  }

  @Test("splits LF and CRLF lines the same way at every chunk size", arguments: [1, 2, 3, 7, 1024])
  func mixedLineEndings(chunkSize: Int) throws {
    let text = "alpha\r\nbeta\n\ngamma\r\ndelta"
    #expect(try lines(of: Array(text.utf8), chunkSize: chunkSize) == ["alpha", "beta", "", "gamma", "delta"])
  }

  @Test("reports an overlong line by length without keeping it, then goes on", arguments: [4, 100, 4096])
  func overlongLine(chunkSize: Int) throws {
    let long = [UInt8](repeating: UInt8(ascii: "x"), count: 10_000)
    let bytes = Array("first\n".utf8) + long + Array("\nlast\n".utf8)
    #expect(try lines(of: bytes, maxLineBytes: 64, chunkSize: chunkSize) == ["first", "<long 10000>", "last"])
  }

  @Test("an empty file has no lines; a final newline adds no empty line")
  func emptyAndTrailingNewline() throws {
    #expect(try lines(of: [], chunkSize: 8).isEmpty)
    #expect(try lines(of: Array("one\n".utf8), chunkSize: 8) == ["one"])
  }

  @Test("a missing file is an error naming it")
  func missingFile() {
    #expect(throws: FileSystemError.self) {
      try LineReader(url: URL(fileURLWithPath: "/nonexistent/words.txt")).forEachLine { _, _ in }
    }
  }
}
