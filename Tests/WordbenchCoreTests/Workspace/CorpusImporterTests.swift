import Foundation
import Testing
import WordbenchTestSupport

@testable import WordbenchCore

@Suite("Corpus import")
struct CorpusImporterTests {
  /// A workspace and an importer on it.
  struct Fixture {
    let test = TestContext()
    let workspace: Workspace
    let store: DictionaryStore

    init() throws {
      workspace = try test.workspace()
      store = try DictionaryStore(workspace: workspace)
    }

    func importer() -> CorpusImporter { CorpusImporter(workspace: workspace, store: store, context: test.context()) }

    func importFile(_ name: String, bytes: [UInt8], column: CorpusColumn? = nil) throws -> CorpusFileReport {
      try test.folder.write(name, bytes: bytes)
      return try importer().importFiles([name], column: column).files[0]
    }

    func importFile(_ name: String, _ text: String, column: CorpusColumn? = nil) throws -> CorpusFileReport {
      try importFile(name, bytes: Array(text.utf8), column: column)
    }

    var corpus: [String] {
      get throws {
        try String(contentsOf: workspace.corpusWordsURL, encoding: .utf8).split(separator: "\n").map(String.init)
      }
    }

    /// The rejects file's rows after its header: line number and reason code.
    func rejects(_ report: CorpusFileReport) throws -> [(line: Int, code: String)] {
      let path = try #require(report.rejectsFile)
      let rows = try String(contentsOf: workspace.root.appendingPathComponent(path), encoding: .utf8)
        .split(separator: "\n").dropFirst()
      return rows.map { row in
        let fields = row.split(separator: "\t", omittingEmptySubsequences: false)
        return (Int(fields[1]) ?? -1, String(fields[2]))
      }
    }
  }

  @Test("plain text with a BOM and CRLF: trimmed, deduplicated, in order")
  func bomAndCRLF() throws {
    let fixture = try Fixture()
    let report = try fixture.importFile(
      "words.txt", bytes: [0xEF, 0xBB, 0xBF] + Array("apple\r\n  pear \r\napple\r\nfig".utf8))
    #expect(report.counts.lines == 4)
    #expect(report.counts.imported == 3)
    #expect(report.counts.duplicates == 1)
    #expect(report.counts.rejected == 0)
    #expect(report.rejectsFile == nil)
    #expect(try fixture.corpus == ["apple", "pear", "fig"])
  }

  @Test("bad lines are rejected one by one with line and reason, and the rest is imported")
  func rejectsLineByLine() throws {
    let fixture = try Fixture()
    var bytes = Array("good\n".utf8)
    bytes += [0x62, 0xFF, 0x61, 0x64, 0x0A]  // invalid UTF-8
    bytes += Array("\n".utf8)  // empty
    bytes += Array(String(repeating: "x", count: 201).utf8) + [0x0A]  // over 200 characters
    bytes += Array("bell\u{07}\n".utf8)  // control character
    bytes += Array("zero\u{200B}width\n".utf8)  // invisible format character
    bytes += [UInt8](repeating: 0x41, count: 1_000_000) + [0x0A]  // a huge line
    bytes += Array("tab\tseparated\n".utf8)
    bytes += Array("fine\n".utf8)
    let report = try fixture.importFile("mixed.txt", bytes: bytes)
    #expect(report.counts.imported == 2)
    #expect(report.counts.rejected == 7)
    let rejects = try fixture.rejects(report)
    #expect(rejects.map(\.line) == [2, 3, 4, 5, 6, 7, 8])
    #expect(
      rejects.map(\.code) == [
        "invalid_utf8", "empty", "too_long", "control_character", "control_character", "too_long",
        "tab_in_plain_text",
      ])
    #expect(try fixture.corpus == ["good", "fine"])
    let text = try String(
      contentsOf: fixture.workspace.root.appendingPathComponent(report.rejectsFile!), encoding: .utf8)
    #expect(text.contains("mixed.txt\t2\tinvalid_utf8\tinvalid UTF-8 at byte 2 of the line"))
  }

  @Test("exactly 200 characters is accepted, counted in characters not bytes")
  func lengthLimit() throws {
    let fixture = try Fixture()
    let accented = String(repeating: "é", count: 200)
    let report = try fixture.importFile("long.txt", accented + "\n" + accented + "é\n")
    #expect(report.counts.imported == 1)
    #expect(report.counts.rejected == 1)
  }

  @Test("words are normalized to NFC, so composed and decomposed forms are one word")
  func nfc() throws {
    let fixture = try Fixture()
    let report = try fixture.importFile("nfc.txt", "cafe\u{0301}\ncaf\u{E9}\nnaïve\n")
    #expect(report.counts.imported == 2)
    #expect(report.counts.duplicates == 1)
    #expect(try fixture.corpus == ["caf\u{E9}", "naïve"])
  }

  @Test("quotes, backslashes, non-ASCII letters and emoji survive")
  func unusualWords() throws {
    let fixture = try Fixture()
    let words = ["rock 'n' roll", "back\\slash", "\"quoted\"", "Ærøskøbing", "straße", "👍🏽", "👨‍👩‍👧"]
    let report = try fixture.importFile("odd.txt", words.joined(separator: "\n"))
    #expect(report.counts.imported == words.count)
    #expect(try fixture.corpus == words)
  }

  @Test("importing the same file again adds nothing")
  func idempotent() throws {
    let fixture = try Fixture()
    _ = try fixture.importFile("words.txt", "one\ntwo\nthree\n")
    let again = try fixture.importer().importFiles(["words.txt"])
    #expect(again.totals.imported == 0)
    #expect(again.totals.duplicates == 3)
    #expect(again.corpusWords == 3)
    #expect(try fixture.store.corpusStats().imports == 2)
  }

  @Test("TSV: the column named by --column, or the \"word\" column by default")
  func tsvColumns() throws {
    let fixture = try Fixture()
    let text = "rank\tWord\tcount\n1\tthe\t100\n2\tof\t90\n3\n"
    let byDefault = try fixture.importFile("freq.tsv", text)
    #expect(byDefault.counts.imported == 2)
    #expect(try fixture.rejects(byDefault).map(\.code) == ["missing_column"])
    let named = try fixture.importFile("other.tsv", "id\tlemma\n1\tcat\n", column: .name("lemma"))
    #expect(named.counts.imported == 1)
    let numbered = try fixture.importFile("plain.tsv", "9\tdog\n8\tcow\n", column: .number(2))
    #expect(numbered.counts.imported == 2)
    #expect(try fixture.corpus == ["the", "of", "cat", "dog", "cow"])
  }

  @Test("CSV with quoted fields")
  func csv() throws {
    let fixture = try Fixture()
    let report = try fixture.importFile(
      "words.csv", "word,note\n\"hello, world\",greeting\n\"say \"\"hi\"\"\",x\nplain,y\n\"open,z\n")
    #expect(report.counts.imported == 3)
    #expect(try fixture.rejects(report).map(\.code) == ["unbalanced_quote"])
    #expect(try fixture.corpus == ["hello, world", "say \"hi\"", "plain"])
  }

  @Test("a missing column stops that file before anything is imported, naming the columns")
  func missingColumn() throws {
    let fixture = try Fixture()
    try fixture.test.folder.write("f.tsv", "a\tb\nx\ty\n")
    #expect(throws: CorpusError.noWordColumn(file: fixture.test.folder.file("f.tsv").path, header: ["a", "b"])) {
      try fixture.importer().importFiles(["f.tsv"])
    }
    #expect(
      throws: CorpusError.columnNotFound(file: fixture.test.folder.file("f.tsv").path, column: "c", header: ["a", "b"])
    ) {
      try fixture.importer().importFiles(["f.tsv"], column: .name("c"))
    }
    #expect(try fixture.store.corpusStats().words == 0)
    #expect(try fixture.store.corpusStats().imports == 0)
  }

  @Test("every file is checked before any is imported")
  func missingFile() throws {
    let fixture = try Fixture()
    try fixture.test.folder.write("ok.txt", "word\n")
    #expect(throws: CorpusError.fileNotFound(path: "absent.txt")) {
      try fixture.importer().importFiles(["ok.txt", "absent.txt"])
    }
    #expect(try fixture.store.corpusStats().words == 0)
  }

  @Test("--column takes a name or a number from 1", arguments: ["0", "-1", " "])
  func badColumn(_ text: String) {
    #expect(throws: CorpusError.invalidColumn(text)) { try CorpusColumn(parsing: text) }
  }

  @Test("stats count words by status and the rejected lines of every import")
  func stats() throws {
    let fixture = try Fixture()
    _ = try fixture.importFile("a.txt", "one\n\ntwo\n")
    let stats = try fixture.store.corpusStats()
    #expect(stats.words == 2)
    #expect(stats.byStatus["pending"] == 2)
    #expect(stats.byStatus["done"] == 0)
    #expect(stats.rejectedLines == 1)
    #expect(stats.imports == 1)
  }

  @Test("the corpus is read from words.txt when it agrees with the store, else from the store")
  func corpusWords() throws {
    let fixture = try Fixture()
    _ = try fixture.importFile("a.txt", "one\ntwo\nthree\n")
    #expect(try Corpus.words(of: fixture.workspace, store: fixture.store).strings == ["one", "two", "three"])
    try Data("one\ntwo\n".utf8).write(to: fixture.workspace.corpusWordsURL)
    #expect(try Corpus.words(of: fixture.workspace, store: fixture.store).strings == ["one", "two", "three"])
    try FileManager.default.removeItem(at: fixture.workspace.corpusWordsURL)
    #expect(try Corpus.words(of: fixture.workspace, store: fixture.store).strings == ["one", "two", "three"])
  }

  @Test("progress is reported in bytes, finishing at the file size")
  func progress() throws {
    let fixture = try Fixture()
    _ = try fixture.importFile("p.txt", "alpha\nbeta\n")
    let last = try #require(fixture.test.progress.events.last)
    #expect(last.finished)
    #expect(last.total == 11)
    #expect(last.completed == 11)
  }
}
