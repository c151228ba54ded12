/// Problems with the lexical data: WordNet, the frequency list, stop lists.
public enum LexiconError: Error, Equatable, CustomStringConvertible {
  /// The WordNet folder or one of its files is missing.
  case wordNetMissing(directory: String, file: String)
  /// A WordNet file is there but cannot be used.
  case wordNetCorrupt(file: String, line: Int?, reason: String)
  case resourceMissing(String)
  case stopListUnknown(name: String, known: [String])
  case stopListUnreadable(path: String)

  public var description: String {
    switch self {
    case .wordNetMissing(let directory, let file):
      "WordNet is not at \(directory) (\(file) is missing): install Debian's wordnet-base "
        + "(apt-get install wordnet-base), or point WORDNET_DIR or [lexicon] wordnet_dir in workspace.toml at a "
        + "folder in WordNet's database layout"
    case .wordNetCorrupt(let file, let line, let reason):
      "\(file)\(line.map { ":\($0)" } ?? ""): not a usable WordNet file: \(reason)"
    case .resourceMissing(let name):
      "the bundled resource \(name) is missing from this wordbench build; rebuild it with `swift build`"
    case .stopListUnknown(let name, let known):
      "unknown stop list \"\(name)\"; built-in lists: \(known.joined(separator: ", ")), or give a file"
    case .stopListUnreadable(let path):
      "cannot read the stop-word file \(path)"
    }
  }
}
