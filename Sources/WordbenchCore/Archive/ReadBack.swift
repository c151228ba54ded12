/// What reading an archive back found (`TarArchive.readBack`): the file entries under the root, the first one that
/// differs from its original, and the content of the entries that are compared with bytes in memory instead.
struct ReadBack: Sendable {
  var rootName: String
  /// Paths (relative to the root) of the file entries read.
  var seen: Set<String> = []
  /// The first file entry that differs from its original, and how.
  var difference: String?
  /// Entries whose original was not in the folder when they were read.
  var withoutOriginal: Set<String> = []
  /// The content of the entries asked to be captured.
  var captured: [String: [UInt8]] = [:]

  /// The first way the archive differs from one holding exactly the files `expected` (each equal to its original)
  /// plus `inMemory`'s entries with that content; nil when it does not.
  func firstDifference(expected: Set<String>, inMemory: [String: [UInt8]]) -> String? {
    if let difference { return difference }
    for (path, bytes) in inMemory.sorted(by: { $0.key < $1.key }) where seen.contains(path) && captured[path] != bytes {
      return "\(rootName)/\(path) differs from what was written"
    }
    if let extra = seen.subtracting(expected).subtracting(inMemory.keys).sorted().first {
      return "\(rootName)/\(extra) was not written"
    }
    if let gone = withoutOriginal.sorted().first {
      return "\(rootName)/\(gone) is no longer in the folder to compare with"
    }
    if let missing = expected.union(inMemory.keys).subtracting(seen).sorted().first {
      return "\(rootName)/\(missing) is missing"
    }
    return nil
  }
}
