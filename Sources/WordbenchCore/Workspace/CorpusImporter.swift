import Foundation

/// What one imported file added to the corpus.
public struct CorpusFileReport: Codable, Equatable, Sendable {
  public var file: String
  public var importID: Int64
  public var format: CorpusFormat
  public var column: String?
  public var counts: ImportCounts
  /// The rejects file of this import, relative to the workspace, when any line was rejected.
  public var rejectsFile: String?

  enum CodingKeys: String, CodingKey {
    case file, format, column, counts
    case importID = "import_id"
    case rejectsFile = "rejects_file"
  }
}

/// The outcome of `wordbench corpus import`.
public struct CorpusImportResult: Codable, Equatable, Sendable {
  public var files: [CorpusFileReport]
  public var totals: ImportCounts
  /// Words in the corpus after the import.
  public var corpusWords: Int

  enum CodingKeys: String, CodingKey {
    case files, totals
    case corpusWords = "corpus_words"
  }
}

/// Imports word lists into a workspace's corpus, streaming, line by line.
///
/// Each file is one transaction: its words become pending corpus words, duplicates (of the corpus or within the
/// file) are counted and skipped, and bad lines are rejected one by one into `corpus/imports/NNNN.rejects.tsv`
/// with file, line and reason. Importing the same file again adds nothing. The caller holds the workspace lock.
public struct CorpusImporter {
  public let workspace: Workspace
  public let store: DictionaryStore
  public let context: WordbenchContext

  /// Lines longer than this are rejected unread; no word (or TSV row holding one) comes near it.
  static let maxLineBytes = 64 * 1024

  public init(workspace: Workspace, store: DictionaryStore, context: WordbenchContext) {
    self.workspace = workspace
    self.store = store
    self.context = context
  }

  public func importFiles(_ paths: [String], column: CorpusColumn? = nil) throws -> CorpusImportResult {
    let files = try paths.map { path in try checkedFile(path) }
    // Temporary files of an import that was killed; the lock guarantees no other import is writing them now.
    AtomicFile.removeLeftovers(in: workspace.importsFolder)
    AtomicFile.removeLeftovers(in: workspace.corpusFolder)
    var reports: [CorpusFileReport] = []
    var totals = ImportCounts()
    for file in files {
      let report = try importFile(file, column: column)
      reports.append(report)
      totals.lines += report.counts.lines
      totals.imported += report.counts.imported
      totals.duplicates += report.counts.duplicates
      totals.rejected += report.counts.rejected
    }
    try writeCorpusText()
    return CorpusImportResult(files: reports, totals: totals, corpusWords: try store.corpusStats().words)
  }

  /// Every file is checked before anything is imported, so a typo in the last name does not leave a half import.
  private func checkedFile(_ path: String) throws -> URL {
    let url = context.resolve(path)
    guard FileManager.default.fileExists(atPath: url.path) else { throw CorpusError.fileNotFound(path: path) }
    guard POSIXFile.isRegularFile(url) else { throw CorpusError.notAFile(path: path) }
    return url
  }

  private func importFile(_ url: URL, column: CorpusColumn?) throws -> CorpusFileReport {
    let format = CorpusFormat.detect(path: url.path, columnGiven: column != nil)
    let importID = try store.nextImportID()
    let rejectsURL = workspace.importsFolder.appendingPathComponent(String(format: "%04lld.rejects.tsv", importID))
    let startedAt = context.clock.now()
    var result: (importID: Int64, counts: ImportCounts)?
    try AtomicFile.stream(to: rejectsURL) { rejects in
      try rejects.write("file\tline\treason\tdetail\ttext\n")
      result = try store.importWords(
        source: url.path, format: format.rawValue, column: column?.description, startedAt: startedAt
      ) { _, sink in
        var reader = FileImport(url: url, format: format, column: column, sink: sink, rejects: rejects)
        return try reader.run(context: context)
      }
    }
    guard let result else { throw FileSystemError.cannotRead(path: url.path, errno: EIO) }
    var rejectsName: String?
    if result.counts.rejected == 0 {
      unlink(rejectsURL.path)
    } else {
      rejectsName = "corpus/imports/\(rejectsURL.lastPathComponent)"
    }
    let report = CorpusFileReport(
      file: url.path, importID: result.importID, format: format, column: column?.description,
      counts: result.counts, rejectsFile: rejectsName)
    let recordURL = workspace.importsFolder.appendingPathComponent(String(format: "%04lld.json", result.importID))
    try AtomicFile.write(try JSONCoding.encoder().encode(report), to: recordURL)
    return report
  }

  /// `corpus/words.txt` mirrors the store's corpus, one word per line in import order.
  public func writeCorpusText() throws {
    try AtomicFile.stream(to: workspace.corpusWordsURL) { out in
      try store.forEachWord { word in
        try out.write(word.utf8)
        try out.write(CollectionOfOne(0x0A))
      }
    }
  }
}

/// The state of importing one file: header handling, column choice, counting and rejecting.
private struct FileImport {
  let url: URL
  let format: CorpusFormat
  let column: CorpusColumn?
  let sink: WordSink
  let rejects: BufferedFileWriter
  var counts = ImportCounts()
  /// The 0-based field that holds the word, known once the header (if any) is read.
  var fieldIndex: Int?

  init(url: URL, format: CorpusFormat, column: CorpusColumn?, sink: WordSink, rejects: BufferedFileWriter) {
    self.url = url
    self.format = format
    self.column = column
    self.sink = sink
    self.rejects = rejects
    switch (format, column) {
    case (.text, _): fieldIndex = 0
    case (_, .number(let number)): fieldIndex = number - 1
    default: fieldIndex = nil
    }
  }

  mutating func run(context: WordbenchContext) throws -> ImportCounts {
    let total = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.int64Value
    let task = "importing \(url.lastPathComponent)"
    let reader = LineReader(url: url, maxLineBytes: CorpusImporter.maxLineBytes)
    var sawLine = false
    let report = { (bytes: Int64) in
      context.progress.progress(ProgressEvent(task: task, completed: bytes, total: total, unit: "bytes"))
    }
    try reader.forEachLine(progress: report) { number, line in
      sawLine = true
      try handle(number, line)
    }
    if !sawLine && fieldIndex == nil { throw CorpusError.emptyFile(path: url.path) }
    context.progress.progress(
      ProgressEvent(task: task, completed: total ?? 0, total: total, unit: "bytes", finished: true))
    return counts
  }

  private mutating func handle(_ number: Int, _ line: LineReader.Line) throws {
    guard case .bytes(var bytes) = line else {
      if case .tooLong(let count) = line { try reject(number, .lineTooLong(bytes: count), text: []) }
      return
    }
    if number == 1, bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
      bytes = UnsafeRawBufferPointer(rebasing: bytes[3...])
    }
    guard let fieldIndex else {
      self.fieldIndex = try headerIndex(bytes)
      return
    }
    counts.lines += 1
    guard let fields = format.fields(of: bytes) else {
      return try reject(number, .unbalancedQuote, text: Array(bytes))
    }
    guard fieldIndex < fields.count else {
      if fields.count == 1 && bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) {
        return try reject(number, .empty, text: [])
      }
      return try reject(number, .missingColumn(column: fieldIndex + 1, fields: fields.count), text: Array(bytes))
    }
    let field = format.fieldBytes(bytes, fields[fieldIndex])
    let outcome = field.withUnsafeBytes { CorpusLine.word(from: $0, plainText: format == .text) }
    switch outcome {
    case .failure(let reason):
      try reject(number, reason, text: field)
    case .success(let word):
      try sink.add(word)
    }
  }

  /// Reads the header line and finds the word column: the one named by `--column`, else one called "word".
  private func headerIndex(_ bytes: UnsafeRawBufferPointer) throws -> Int {
    let names = (format.fields(of: bytes) ?? []).map { range in
      String(decoding: format.fieldBytes(bytes, range), as: UTF8.self).trimmingCharacters(in: .whitespaces)
    }
    let wanted: String
    if case .name(let name) = column { wanted = name } else { wanted = "word" }
    if let index = names.firstIndex(where: { $0.caseInsensitiveCompare(wanted) == .orderedSame }) { return index }
    if column == nil { throw CorpusError.noWordColumn(file: url.path, header: names) }
    throw CorpusError.columnNotFound(file: url.path, column: wanted, header: names)
  }

  private mutating func reject(_ number: Int, _ reason: CorpusRejection, text: [UInt8]) throws {
    counts.rejected += 1
    let record = [url.path, String(number), reason.code, reason.description, Self.excerpt(text)]
      .map(Self.escapeTSV).joined(separator: "\t")
    try rejects.write(record + "\n")
  }

  /// A readable, single-line, bounded view of a rejected line: invalid bytes shown as U+FFFD, controls escaped.
  static func excerpt(_ bytes: [UInt8]) -> String {
    let text = String(decoding: bytes.prefix(160), as: UTF8.self)
    var out = ""
    for scalar in text.unicodeScalars {
      if CorpusLine.isForbidden(scalar) && scalar.value != 0xFFFD {
        out += "\\u{\(String(scalar.value, radix: 16))}"
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return bytes.count > 160 ? out + "…" : out
  }

  /// Backslash-escapes what would break a TSV row.
  static func escapeTSV(_ field: String) -> String {
    var out = String.UnicodeScalarView()
    for scalar in field.unicodeScalars {
      switch scalar {
      case "\\": out += "\\\\".unicodeScalars
      case "\t": out += "\\t".unicodeScalars
      case "\n": out += "\\n".unicodeScalars
      case "\r": out += "\\r".unicodeScalars
      default: out.append(scalar)
      }
    }
    return String(out)
  }
}
