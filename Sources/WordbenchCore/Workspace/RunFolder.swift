import Foundation

/// One run's folder (`runs/rNNNN`): its manifest and its event log. Later steps add their own files.
public struct RunFolder: Sendable {
  public let id: RunID
  public let url: URL

  public static let manifestFileName = "manifest.json"
  public var manifestURL: URL { url.appendingPathComponent(Self.manifestFileName) }
  public var eventsURL: URL { url.appendingPathComponent("events.jsonl") }

  public func readManifest() throws(WorkspaceError) -> RunManifest {
    let path = manifestURL.path
    let data: Data
    do {
      data = try Data(contentsOf: manifestURL)
    } catch {
      throw .invalidManifest(path: path, reason: "it cannot be read")
    }
    struct Version: Decodable {
      let schemaVersion: Int
      enum CodingKeys: String, CodingKey { case schemaVersion = "schema_version" }
    }
    let decoder = JSONCoding.decoder()
    do {
      let version = try decoder.decode(Version.self, from: data).schemaVersion
      if version > RunManifest.currentSchemaVersion {
        throw WorkspaceError.manifestTooNew(path: path, version: version, supported: RunManifest.currentSchemaVersion)
      }
      return try decoder.decode(RunManifest.self, from: data)
    } catch let error as WorkspaceError {
      throw error
    } catch {
      throw .invalidManifest(path: path, reason: JSONCoding.describe(error))
    }
  }

  /// Replaces the manifest atomically, first clearing temporary files of writes that were interrupted (the caller
  /// holds the workspace lock, so none is in progress).
  public func writeManifest(
    _ manifest: RunManifest, interruption: AtomicFile.Interruption? = nil
  ) throws {
    AtomicFile.removeLeftovers(in: url)
    try AtomicFile.write(try JSONCoding.encoder().encode(manifest), to: manifestURL, interruption: interruption)
  }

  /// Reads, changes and atomically rewrites the manifest.
  @discardableResult
  public func updateManifest(_ change: (inout RunManifest) throws -> Void) throws -> RunManifest {
    var manifest = try readManifest()
    try change(&manifest)
    try writeManifest(manifest)
    return manifest
  }

  /// Appends one event to `events.jsonl`.
  public func append(_ event: RunEvent) throws {
    try AppendOnlyFile.append(try JSONCoding.line(event), to: eventsURL)
  }

  /// Every complete event so far; a torn last line (from a crash mid-append) is skipped.
  public func events() throws -> [RunEvent] {
    guard POSIXFile.exists(eventsURL) else { return [] }
    var events: [RunEvent] = []
    let decoder = JSONCoding.decoder()
    try LineReader(url: eventsURL, maxLineBytes: 1 << 20).forEachLine { _, line in
      guard case .bytes(let bytes) = line, !bytes.isEmpty,
        let event = try? decoder.decode(RunEvent.self, from: Data(bytes))
      else { return }
      events.append(event)
    }
    return events
  }

  /// Records a step's new state in the manifest and the event log together.
  public func record(
    _ step: RunStep, _ state: StepState, message: String, context: WordbenchContext
  ) throws {
    let now = context.clock.now()
    try updateManifest { $0.record(step, state, at: now, message: message) }
    try append(RunEvent(time: now, run: id, step: step, kind: state.rawValue, message: message))
  }
}
