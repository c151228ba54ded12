import Foundation

/// One line of a run's `events.jsonl`: what happened, when, in which step.
public struct RunEvent: Codable, Equatable, Sendable {
  public var time: Date
  public var run: String
  public var step: RunStep?
  /// A short machine-readable kind, for example `created`, `started`, `finished`, `failed`.
  public var kind: String
  public var message: String
  public var details: [String: JSONValue]?

  public init(
    time: Date, run: RunID, step: RunStep?, kind: String, message: String, details: [String: JSONValue]? = nil
  ) {
    self.time = time
    self.run = run.name
    self.step = step
    self.kind = kind
    self.message = message
    self.details = details
  }
}
