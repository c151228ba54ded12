/// An age written as a number and a unit (`30d`, `12h`, `90m`, `2w`), as `--older-than` and the config take it.
public struct AgeLimit: Equatable, Sendable, CustomStringConvertible {
  public var seconds: Double
  public let description: String

  public init?(parsing text: String) {
    let units: [Character: Double] = ["m": 60, "h": 3600, "d": 86400, "w": 604_800]
    guard let unit = text.last, let scale = units[unit], let count = Int(text.dropLast()), count >= 0 else {
      return nil
    }
    seconds = Double(count) * scale
    description = text
  }
}
