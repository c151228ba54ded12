import Foundation

/// Built lexicon tables kept on disk between runs (`$XDG_CACHE_HOME/wordbench`, else `~/.cache/wordbench`), so a
/// command loads them with one read instead of rebuilding them from WordNet's and the frequency list's text.
///
/// A cache file is named by a fingerprint of everything it was built from (paths, sizes and modification times of
/// the source files, the table layout and this format's version): a changed source or another build simply misses
/// and rebuilds. Files are written atomically; any problem reading or writing the cache only means building anew.
public struct LexiconCache: Sendable {
  /// Raised whenever what a table holds changes without its layout changing (2: names in the lemma table).
  static let formatVersion = 4
  let directory: URL?

  public init(environment: [String: String]) {
    if let base = environment["XDG_CACHE_HOME"], base.hasPrefix("/") {
      directory = URL(fileURLWithPath: base).appendingPathComponent("wordbench")
    } else if let home = environment["HOME"], home.hasPrefix("/") {
      directory = URL(fileURLWithPath: home).appendingPathComponent(".cache/wordbench")
    } else {
      directory = nil
    }
  }

  /// The cached table `name` built from `sources`, or what `build` makes (then stored for next time).
  func table<Value>(
    _ name: String, sources: [URL], empty: Value, build: () throws -> HashedTable<Value>
  ) rethrows -> HashedTable<Value> {
    guard let directory, let key = Self.fingerprint(sources, layout: HashedTable<Value>.slotStride) else {
      return try build()
    }
    let url = directory.appendingPathComponent("\(name)-\(key).bin")
    if let cached = HashedTable(contentsOf: url, empty: empty) { return cached }
    let built = try build()
    try? POSIXFile.createDirectory(directory)
    try? built.write(to: url)
    removeStale(name, keeping: url.lastPathComponent)
    return built
  }

  /// `table` with its presence filter, which is cached beside the table `name` built from the same `sources`.
  func filtered<Value>(_ table: HashedTable<Value>, _ name: String, sources: [URL]) -> HashedTable<Value> {
    guard let directory, let key = Self.fingerprint(sources, layout: HashedTable<Value>.slotStride) else {
      return table.filtered(by: table.presenceFilter())
    }
    let filterName = "presence-\(name)"
    let url = directory.appendingPathComponent("\(filterName)-\(key).bin")
    if let cached = PresenceFilter(contentsOf: url) { return table.filtered(by: cached) }
    let built = table.presenceFilter()
    try? POSIXFile.createDirectory(directory)
    try? built.write(to: url)
    removeStale(filterName, keeping: url.lastPathComponent)
    return table.filtered(by: built)
  }

  /// Removes the tables `name` that older sources or builds made, so the cache does not grow with every upgrade. The
  /// two most recent others stay: a developer's debug and release builds bundle the frequency list at different
  /// paths, and each would otherwise rebuild its table every time after the other ran. A process still using a
  /// removed file keeps its mapping until it exits.
  private func removeStale(_ name: String, keeping current: String) {
    guard let directory, let files = try? FileManager.default.contentsOfDirectory(atPath: directory.path) else {
      return
    }
    let others = files.filter { $0 != current && $0.hasPrefix("\(name)-") && $0.hasSuffix(".bin") }
    func modified(_ file: String) -> Date {
      let attributes = try? FileManager.default.attributesOfItem(atPath: directory.appendingPathComponent(file).path)
      return attributes?[.modificationDate] as? Date ?? .distantPast
    }
    for file in others.sorted(by: { modified($0) > modified($1) }).dropFirst(Self.keptOthers) {
      try? FileManager.default.removeItem(at: directory.appendingPathComponent(file))
    }
  }

  /// How many tables of a name besides the current one `removeStale` keeps.
  static let keptOthers = 2

  /// A hex digest of the sources' paths, sizes and modification times; nil when one cannot be read.
  static func fingerprint(_ sources: [URL], layout: Int) -> String? {
    var text = "v\(formatVersion) layout \(layout)"
    for source in sources {
      guard let attributes = try? FileManager.default.attributesOfItem(atPath: source.path),
        let size = attributes[.size] as? NSNumber, let modified = attributes[.modificationDate] as? Date
      else { return nil }
      text += "|\(source.path) \(size) \(modified.timeIntervalSince1970)"
    }
    return String(HashedTable<Int>.hash(text), radix: 16)
  }
}
