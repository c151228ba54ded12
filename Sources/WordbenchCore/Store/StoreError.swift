/// Failures of the dictionary store, naming the database file.
public enum StoreError: Error, Equatable, CustomStringConvertible {
  case cannotOpen(path: String, reason: String)
  case database(path: String, reason: String)

  public var description: String {
    switch self {
    case .cannotOpen(let path, let reason):
      "cannot open the dictionary store \(path): \(reason)"
    case .database(let path, let reason):
      "the dictionary store \(path) failed: \(reason)"
    }
  }
}
