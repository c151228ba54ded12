/// Problems that stop an import before it starts (bad lines never do: they are rejected one by one).
public enum CorpusError: Error, Equatable, CustomStringConvertible {
  case fileNotFound(path: String)
  case notAFile(path: String)
  case columnNotFound(file: String, column: String, header: [String])
  case noWordColumn(file: String, header: [String])
  case invalidColumn(String)
  case emptyFile(path: String)

  public var description: String {
    switch self {
    case .fileNotFound(let path):
      "\(path): no such file"
    case .notAFile(let path):
      "\(path) is not a regular file"
    case .columnNotFound(let file, let column, let header):
      "\(file):1: no column \"\(column)\" in the header; columns: \(Self.list(header))"
    case .noWordColumn(let file, let header):
      "\(file):1: the header has no \"word\" column; name the column with --column NAME or --column N "
        + "(columns: \(Self.list(header)))"
    case .invalidColumn(let text):
      "--column \(text): give a column name from the header or a column number from 1"
    case .emptyFile(let path):
      "\(path) is empty; there is no header to find the column in"
    }
  }

  private static func list(_ header: [String]) -> String {
    header.isEmpty ? "(none)" : header.map { "\"\($0)\"" }.joined(separator: ", ")
  }
}
