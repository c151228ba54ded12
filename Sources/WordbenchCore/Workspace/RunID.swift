/// A run's number and its folder name, `r0001`, `r0002`, ...
public struct RunID: Hashable, Comparable, Sendable, CustomStringConvertible {
  public let number: Int

  public init(_ number: Int) { self.number = number }

  /// Accepts `r0003`, `r3` and `3`.
  public init?(parsing text: String) {
    let digits = text.hasPrefix("r") ? text.dropFirst() : Substring(text)
    guard !digits.isEmpty, digits.count <= 9, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber),
      let number = Int(digits), number > 0
    else { return nil }
    self.number = number
  }

  /// Only the canonical folder name (`r` and at least four digits) counts when reading the runs folder.
  init?(folderName: String) {
    guard folderName.hasPrefix("r"), folderName.count >= 5, let id = RunID(parsing: folderName),
      id.name == folderName
    else { return nil }
    self = id
  }

  public var name: String {
    "r" + number.zeroPadded(4)
  }

  public var description: String { name }

  public static func < (lhs: RunID, rhs: RunID) -> Bool { lhs.number < rhs.number }
}
