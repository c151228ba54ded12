/// Failures of creating, reading or extracting archives.
public enum ArchiveError: Error, Equatable, CustomStringConvertible {
  /// libarchive reported a failure while doing `operation` on `path`.
  case library(operation: String, path: String, message: String)
  /// An archive entry that would escape the destination or is not a plain file or folder.
  case unsafeEntry(archive: String, entry: String, reason: String)
  /// The source folder holds something that cannot be archived faithfully (a symlink, a device).
  case unsupportedFile(path: String)
  case destinationExists(path: String)

  public var description: String {
    switch self {
    case .library(let operation, let path, let message):
      "\(operation) \(path) failed: \(message)"
    case .unsafeEntry(let archive, let entry, let reason):
      "\(archive): refusing entry \"\(entry)\": \(reason); nothing was written outside the destination"
    case .unsupportedFile(let path):
      "\(path) is neither a regular file nor a folder and cannot be archived"
    case .destinationExists(let path):
      "\(path) already exists; refusing to overwrite it"
    }
  }
}

/// The compression of a tar archive.
public enum ArchiveCompression: Equatable, Sendable {
  case zstd(level: Int)
  case gzip(level: Int)
}

/// One entry as listed from an archive.
public struct ArchiveEntryInfo: Equatable, Sendable {
  public enum Kind: String, Sendable { case file, directory, other }
  public var path: String
  public var kind: Kind
  public var size: Int64
}
