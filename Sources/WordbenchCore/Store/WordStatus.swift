/// Where a corpus word stands on its way to a dictionary entry.
public enum WordStatus: String, CaseIterable, Codable, Sendable {
  /// Imported, no entry yet and not in any run out at the provider.
  case pending
  /// Part of a run that has been uploaded and not merged yet.
  case inFlight = "in_flight"
  /// Has a merged entry.
  case done
  /// The last attempt failed; a retry may still succeed.
  case failed
  /// Failed too often; left out of retries until someone looks.
  case quarantined
}
