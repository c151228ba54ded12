import Foundation

/// Appends whole records to a file (events, ledgers): each record is one `write` with `O_APPEND`, then flushed.
///
/// A crash can lose the last record but never interleave or tear earlier ones; readers of JSONL files written here
/// skip a final line that has no newline.
public enum AppendOnlyFile {
  public static func append(_ record: Data, to url: URL) throws {
    let fd = open(url.path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, POSIXFile.filePermissions)
    if fd < 0 { throw FileSystemError.cannotOpen(path: url.path, errno: errno) }
    defer { close(fd) }
    try record.withUnsafeBytes { try POSIXFile.writeAll(fd, $0, path: url.path) }
    try POSIXFile.sync(fd, path: url.path)
  }
}
