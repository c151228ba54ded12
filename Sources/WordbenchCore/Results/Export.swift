import Foundation

/// The formats of `wordbench export`.
public enum ExportFormat: String, CaseIterable, Codable, Sendable {
  case jsonl, csv, dictd
}

/// What `wordbench export` wrote.
public struct ExportReport: Codable, Sendable {
  public var format: ExportFormat
  public var entries: Int
  public var files: [String]
}

/// `wordbench export`: the store's entries as JSONL (one entry a line), CSV (one row per sense), or the dictd
/// `.index`/`.dict` pair that Debian's `dictd` serves. Files are written atomically.
public enum Export {
  /// - Parameters:
  ///   - since: only entries of this run and later ones.
  ///   - through: only entries of this run and earlier ones (`process --output-dir` exports one run).
  public static func run(
    format: ExportFormat, output: String?, since: String?, through: String? = nil, workspace path: String?,
    context: WordbenchContext
  ) throws -> ExportReport {
    let workspace = try Workspace.locate(explicit: path, context: context)
    let store = try DictionaryStore(workspace: workspace)
    let runName = { (name: String) throws -> String in
      guard let id = RunID(parsing: name) else { throw WorkspaceError.unknownRun(name) }
      return id.name
    }
    let since = try since.map(runName)
    let through = try through.map(runName)
    let base = output.map(context.resolve) ?? workspace.root.appendingPathComponent("exports/dictionary")
    try POSIXFile.createDirectory(base.deletingLastPathComponent())
    var count = 0
    switch format {
    case .jsonl, .csv:
      let url = base.pathExtension == format.rawValue ? base : base.appendingPathExtension(format.rawValue)
      try AtomicFile.stream(to: url) { writer in
        if format == .csv { try writer.write(CSV.row(CSV.header)) }
        try store.forEachEntry(since: since, through: through) { _, text in
          count += 1
          if format == .jsonl {
            try writer.write(text + "\n")
          } else if let entry = try? JSONValue(parsing: text) {
            for row in CSV.rows(entry) { try writer.write(CSV.row(row)) }
          }
        }
      }
      return ExportReport(format: format, entries: count, files: [url.path])
    case .dictd:
      var blocks: [(String, String)] = []
      try store.forEachEntry(since: since, through: through) { word, text in
        guard let entry = try? JSONValue(parsing: text) else { return }
        blocks.append((word, Dictd.article(word, entry)))
      }
      count = blocks.count
      let files = try Dictd.write(blocks, to: base)
      return ExportReport(format: format, entries: count, files: files.map(\.path))
    }
  }
}

/// RFC 4180 CSV, one row per sense.
enum CSV {
  static let header = [
    "headword", "lemma", "part_of_speech", "definition", "examples", "synonyms", "antonyms", "cefr_level",
    "frequency_band",
  ]

  static func rows(_ entry: JSONValue) -> [[String]] {
    func list(_ value: JSONValue?) -> String { (value?.array ?? []).compactMap(\.string).joined(separator: " | ") }
    let band = entry["frequency_band"]?.int.map(String.init) ?? ""
    return (entry["senses"]?.array ?? []).map { sense in
      [
        entry["headword"]?.string ?? "", entry["lemma"]?.string ?? "", sense["part_of_speech"]?.string ?? "",
        sense["definition"]?.string ?? "", list(sense["examples"]), list(sense["synonyms"]), list(sense["antonyms"]),
        sense["cefr_level"]?.string ?? "", band,
      ]
    }
  }

  static func row(_ fields: [String]) -> String {
    fields.map { field in
      field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
        ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
    }.joined(separator: ",") + "\r\n"
  }
}

/// The dictd database format: `.dict` holds the articles as plain text, `.index` one line per headword with the
/// article's byte offset and length in dictd's base64 digits, sorted as `sort -df` sorts (dictionary order, case
/// folded), which is how dictd searches it.
enum Dictd {
  static let digits = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

  static func base64(_ value: Int) -> String {
    var value = value
    var text: [Character] = []
    repeat {
      text.insert(digits[value & 63], at: 0)
      value >>= 6
    } while value > 0
    return String(text)
  }

  /// dictd's headword order: only letters, digits and blanks count, case folded.
  static func sortKey(_ word: String) -> String {
    String(word.lowercased().filter { $0.isLetter || $0.isNumber || $0 == " " })
  }

  static func article(_ word: String, _ entry: JSONValue) -> String {
    var text = word + "\n"
    for sense in entry["senses"]?.array ?? [] {
      text += "  \(sense["part_of_speech"]?.string ?? "")  \(sense["definition"]?.string ?? "")\n"
      for example in sense["examples"]?.array?.compactMap(\.string) ?? [] { text += "      \"\(example)\"\n" }
      let synonyms = sense["synonyms"]?.array?.compactMap(\.string) ?? []
      if !synonyms.isEmpty { text += "      synonyms: \(synonyms.joined(separator: ", "))\n" }
    }
    return text + "\n"
  }

  /// Writes `base.dict` and `base.index` with the database's short name as dictfmt does.
  static func write(_ articles: [(String, String)], to base: URL) throws -> [URL] {
    let short = ("00-database-short", "00-database-short\n     wordbench dictionary\n\n")
    let all = [short] + articles
    var dict = Data()
    var index: [(key: String, word: String, line: String)] = []
    for (word, article) in all {
      let bytes = Data(article.utf8)
      index.append((sortKey(word), word, "\(word)\t\(base64(dict.count))\t\(base64(bytes.count))\n"))
      dict += bytes
    }
    index.sort { $0.key != $1.key ? $0.key < $1.key : $0.word < $1.word }
    let dictURL = base.appendingPathExtension("dict")
    let indexURL = base.appendingPathExtension("index")
    try AtomicFile.write(dict, to: dictURL)
    try AtomicFile.write(Data(index.map(\.line).joined().utf8), to: indexURL)
    return [indexURL, dictURL]
  }
}
