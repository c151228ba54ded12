/// One problem found in a configuration file, with where it is and what is allowed.
public struct ConfigDiagnostic: Error, Equatable, Sendable, CustomStringConvertible {
  public var file: String
  public var line: Int?
  /// `section.key` when the problem is about one key.
  public var key: String?
  public var message: String

  public init(file: String, line: Int?, key: String?, message: String) {
    self.file = file
    self.line = line
    self.key = key
    self.message = message
  }

  public var description: String {
    let place = line.map { "\(file):\($0)" } ?? file
    return key.map { "\(place): \($0): \(message)" } ?? "\(place): \(message)"
  }
}
