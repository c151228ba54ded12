/// Failures of creating, reading or extracting archives.
public enum ArchiveError: Error, Equatable, CustomStringConvertible {
  /// libarchive reported a failure while doing `operation` on `path`.
  case library(operation: String, path: String, message: String)
  /// An archive entry that would escape the destination or is not a plain file or folder.
  case unsafeEntry(archive: String, entry: String, reason: String)
  /// The source folder holds something that cannot be archived faithfully (a symlink, a device).
  case unsupportedFile(path: String)
  case destinationExists(path: String)
  /// A file changed size while it was being archived.
  case changedWhileArchiving(path: String)
  /// A compression level the format does not have.
  case invalidLevel(level: Int, format: String, allowed: ClosedRange<Int>)
  /// The run is not merged, and `--force` was not given.
  case notFinished(run: String)
  case notArchived(run: String)
  /// The archive does not hold what its checksums say, or not what the folder holds.
  case verificationFailed(archive: String, reason: String)

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
    case .changedWhileArchiving(let path):
      "\(path) changed while it was being archived; run the command again"
    case .invalidLevel(let level, let format, let allowed):
      "\(format) has no compression level \(level); use one from \(allowed.lowerBound) to \(allowed.upperBound)"
    case .notFinished(let run):
      "\(run) is not merged yet; merge it first, or archive it anyway with --force"
    case .notArchived(let run):
      "\(run) has no archive (runs/\(run).tar.zst or .tar.gz); see wordbench runs"
    case .verificationFailed(let archive, let reason):
      "\(archive) failed verification: \(reason)"
    }
  }
}

/// The compression of a tar archive.
public enum ArchiveCompression: Equatable, Sendable {
  case zstd(level: Int)
  case gzip(level: Int)
}

/// One entry as listed from an archive.
public struct ArchiveEntryInfo: Codable, Equatable, Sendable {
  public enum Kind: String, Codable, Sendable { case file, directory, other }
  public var path: String
  public var kind: Kind
  public var size: Int64
}

/// A file's SHA-256 as taken while archiving it; `path` is relative to the archived folder.
public struct FileChecksum: Equatable, Sendable {
  public var path: String
  public var sha256: String
  public var size: Int64
}

/// What reading a whole archive found.
public struct ArchiveScan: Sendable {
  public var entries: [ArchiveEntryInfo] = []
  /// The SHA-256 of each file entry, by its path in the archive.
  public var sha256: [String: String] = [:]
  /// The content of the entry asked for, when the archive has it.
  public var captured: [UInt8]?
}
