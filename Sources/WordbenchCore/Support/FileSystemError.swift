import Foundation

/// A failed file operation, naming the file and the operating system's reason.
public enum FileSystemError: Error, Equatable, CustomStringConvertible {
  case cannotOpen(path: String, errno: Int32)
  case cannotRead(path: String, errno: Int32)
  case cannotWrite(path: String, errno: Int32)
  case cannotRename(from: String, to: String, errno: Int32)
  case cannotCreateDirectory(path: String, errno: Int32)
  case cannotRemove(path: String, errno: Int32)

  public var description: String {
    switch self {
    case .cannotOpen(let path, let code): "cannot open \(path): \(Self.reason(code))"
    case .cannotRead(let path, let code): "cannot read \(path): \(Self.reason(code))"
    case .cannotWrite(let path, let code): "cannot write \(path): \(Self.reason(code))"
    case .cannotRename(let from, let to, let code): "cannot rename \(from) to \(to): \(Self.reason(code))"
    case .cannotCreateDirectory(let path, let code): "cannot create folder \(path): \(Self.reason(code))"
    case .cannotRemove(let path, let code): "cannot remove \(path): \(Self.reason(code))"
    }
  }

  /// The operating system's text for an errno value.
  static func reason(_ code: Int32) -> String { String(cString: strerror(code)) }
}

/// Small POSIX helpers shared by the file writers, so each system call's error handling is written once.
enum POSIXFile {
  /// Files that hold data are private to the user.
  static let filePermissions: mode_t = 0o600
  /// Folders that hold data are private to the user.
  static let directoryPermissions: mode_t = 0o700

  /// Writes every byte of `buffer` to `fd`, retrying short writes and interrupted calls.
  static func writeAll(_ fd: Int32, _ buffer: UnsafeRawBufferPointer, path: String) throws {
    var offset = 0
    while offset < buffer.count {
      let written = Foundation.write(fd, buffer.baseAddress! + offset, buffer.count - offset)
      if written < 0 {
        if errno == EINTR { continue }
        throw FileSystemError.cannotWrite(path: path, errno: errno)
      }
      offset += written
    }
  }

  /// Flushes a file or folder to stable storage.
  static func sync(_ fd: Int32, path: String) throws {
    if fsync(fd) != 0 { throw FileSystemError.cannotWrite(path: path, errno: errno) }
  }

  /// Flushes a folder's entries, so a rename inside it survives a power loss.
  static func syncDirectory(_ url: URL) throws {
    let fd = open(url.path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
    if fd < 0 { throw FileSystemError.cannotOpen(path: url.path, errno: errno) }
    defer { close(fd) }
    try sync(fd, path: url.path)
  }

  /// Creates a folder (and its missing parents) with private permissions; an existing folder is fine.
  static func createDirectory(_ url: URL) throws {
    do {
      try FileManager.default.createDirectory(
        at: url, withIntermediateDirectories: true,
        attributes: [.posixPermissions: Int(directoryPermissions)])
    } catch {
      throw FileSystemError.cannotCreateDirectory(path: url.path, errno: (error as NSError).code == 0 ? EIO : errno)
    }
  }

  static func rename(_ from: URL, to: URL) throws {
    if Foundation.rename(from.path, to.path) != 0 {
      throw FileSystemError.cannotRename(from: from.path, to: to.path, errno: errno)
    }
  }

  /// True when anything (even a dangling symlink) is at `url`.
  static func exists(_ url: URL) -> Bool {
    (try? FileManager.default.attributesOfItem(atPath: url.path)) != nil
  }

  /// True when `url` is a folder, following symlinks.
  static func isDirectory(_ url: URL) -> Bool {
    var directory: ObjCBool = false
    return FileManager.default.fileExists(atPath: url.path, isDirectory: &directory) && directory.boolValue
  }

  /// True when `url` is a regular file, following symlinks.
  static func isRegularFile(_ url: URL) -> Bool {
    let attributes = try? FileManager.default.attributesOfItem(atPath: url.resolvingSymlinksInPath().path)
    return attributes?[.type] as? FileAttributeType == .typeRegular
  }
}
