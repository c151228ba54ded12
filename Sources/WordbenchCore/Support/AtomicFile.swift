import Foundation

/// Writes whole files so that readers see either the old content or the new, never a mix or a torn write.
///
/// The data goes to a temporary file in the same folder, is flushed with `fsync`, renamed over the target, and the
/// folder is flushed so the rename itself is durable.
public enum AtomicFile {
  /// What to do at the moment between the flushed temporary file and the rename; tests use it to simulate a crash.
  public enum Interruption: Sendable {
    /// Stop right there, leaving the temporary file behind as a killed process would.
    case abandonBeforeRename
  }

  /// Thrown when an injected interruption stopped the write.
  public struct Interrupted: Error {}

  /// The prefix of temporary files, so that listings can skip them and clean-ups can find them.
  public static let temporaryPrefix = ".tmp-"

  public static func write(
    _ data: Data, to url: URL, permissions: mode_t = 0o600,
    interruption: Interruption? = nil
  ) throws {
    try stream(to: url, permissions: permissions, interruption: interruption) { writer in
      try writer.write(data)
    }
  }

  /// Writes a file of any size through `body` without holding it in memory, with the same all-or-nothing rename.
  /// If `body` throws, the target is left as it was.
  public static func stream(
    to url: URL, permissions: mode_t = 0o600, interruption: Interruption? = nil,
    _ body: (BufferedFileWriter) throws -> Void
  ) throws {
    let folder = url.deletingLastPathComponent()
    let temporary = folder.appendingPathComponent(
      "\(temporaryPrefix)\(url.lastPathComponent).\(getpid()).\(UInt32.random(in: 0...UInt32.max))")
    let writer = try BufferedFileWriter(creating: temporary, permissions: permissions)
    var renamed = false
    defer {
      writer.close()
      if !renamed && interruption == nil { unlink(temporary.path) }
    }
    try body(writer)
    try writer.flush()
    try POSIXFile.sync(writer.descriptor, path: temporary.path)
    if interruption == .abandonBeforeRename { throw Interrupted() }
    try POSIXFile.rename(temporary, to: url)
    renamed = true
    try POSIXFile.syncDirectory(folder)
  }

  /// Removes temporary files left in `folder` by writes that were interrupted.
  public static func removeLeftovers(in folder: URL) {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder.path) else { return }
    for name in names where name.hasPrefix(temporaryPrefix) {
      unlink(folder.appendingPathComponent(name).path)
    }
  }
}
