import CArchive
import Foundation

/// Tar archives of folders through libarchive, streaming in fixed-size blocks. This file is the only Swift code that
/// touches libarchive.
///
/// Extraction writes only plain files and folders, itself, after checking every entry's name: absolute paths, `..`,
/// links and devices are refused, so nothing can land outside the destination.
public enum TarArchive {
  static let blockSize = 256 * 1024

  /// Archives every file and folder under `folder`, stored under `rootName/` in the archive, sorted by path, and
  /// flushes the archive to disk. Each file's SHA-256 is taken from the very bytes written; with `checksumsName`, a
  /// last entry of that name lists them all (`sha256sum` format, paths relative to the root), so the archive can
  /// prove itself later. Returns the checksums.
  @discardableResult
  public static func create(
    from folder: URL, rootName: String, to archiveURL: URL, compression: ArchiveCompression,
    checksumsName: String? = nil
  ) throws -> [FileChecksum] {
    guard let archive = archive_write_new() else {
      throw ArchiveError.library(operation: "creating", path: archiveURL.path, message: "out of memory")
    }
    defer { archive_write_free(archive) }
    let path = archiveURL.path
    try check(archive, archive_write_set_format_pax_restricted(archive), "creating", path)
    switch compression {
    case .zstd(let level):
      try check(archive, archive_write_add_filter_zstd(archive), "creating", path)
      try check(
        archive, archive_write_set_filter_option(archive, "zstd", "compression-level", String(level)), "creating", path)
    case .gzip(let level):
      try check(archive, archive_write_add_filter_gzip(archive), "creating", path)
      try check(
        archive, archive_write_set_filter_option(archive, "gzip", "compression-level", String(level)), "creating", path)
    }
    try check(archive, archive_write_open_filename(archive, path), "creating", path)
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: blockSize, alignment: 16)
    defer { buffer.deallocate() }
    var checksums: [FileChecksum] = []
    try addDirectory(archive, name: rootName, archivePath: path)
    for relative in try sortedEntries(of: folder) {
      let source = folder.appendingPathComponent(relative)
      let name = "\(rootName)/\(relative)"
      var info = stat()
      guard lstat(source.path, &info) == 0 else { throw FileSystemError.cannotRead(path: source.path, errno: errno) }
      switch info.st_mode & S_IFMT {
      case S_IFDIR: try addDirectory(archive, name: name, archivePath: path)
      case S_IFREG:
        let digest = try addFile(archive, source: source, name: name, info: info, buffer: buffer, archivePath: path)
        checksums.append(FileChecksum(path: relative, sha256: digest, size: Int64(info.st_size)))
      default: throw ArchiveError.unsupportedFile(path: source.path)
      }
    }
    if let checksumsName {
      let listing = Array(checksums.map { "\($0.sha256)  \($0.path)\n" }.joined().utf8)
      try addData(archive, listing, name: "\(rootName)/\(checksumsName)", archivePath: path)
    }
    try check(archive, archive_write_close(archive), "finishing", path)
    // libarchive creates the file with the umask's permissions; an archive holds data, so it is private.
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    if fd < 0 { throw FileSystemError.cannotOpen(path: path, errno: errno) }
    defer { close(fd) }
    fchmod(fd, POSIXFile.filePermissions)
    try POSIXFile.sync(fd, path: path)
    return checksums
  }

  /// Reads every entry of an archive (decompressing and hashing all file data, extracting nothing): the entries in
  /// order, each file's SHA-256, and the content of the file entry named `captured` (a small one) if there is one.
  public static func scan(_ archiveURL: URL, capturing captured: String? = nil) throws -> ArchiveScan {
    var scan = ArchiveScan()
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: blockSize, alignment: 16)
    defer { buffer.deallocate() }
    try readEntries(archiveURL) { archive, entry in
      let info = ArchiveEntryInfo(
        path: archive_entry_pathname(entry).map { String(cString: $0) } ?? "", kind: kind(of: entry),
        size: archive_entry_size(entry))
      scan.entries.append(info)
      guard info.kind == .file else { return }
      var hash = SHA256()
      let keep = info.path == captured
      var kept: [UInt8] = []
      while true {
        let count = archive_read_data(archive, buffer, blockSize)
        if count < 0 {
          throw ArchiveError.library(
            operation: "reading \(info.path) from", path: archiveURL.path, message: message(archive))
        }
        if count == 0 { break }
        let block = UnsafeRawBufferPointer(start: buffer, count: count)
        hash.update(block)
        if keep && kept.count < 64 << 20 { kept.append(contentsOf: block) }
      }
      scan.sha256[info.path] = hash.finalizeHex()
      if keep { scan.captured = kept }
    }
    return scan
  }

  /// The entries of an archive, in order, without extracting anything.
  public static func list(_ archiveURL: URL) throws -> [ArchiveEntryInfo] {
    var entries: [ArchiveEntryInfo] = []
    try readEntries(archiveURL) { archive, entry in
      entries.append(
        ArchiveEntryInfo(
          path: String(cString: archive_entry_pathname(entry)), kind: kind(of: entry),
          size: archive_entry_size(entry)))
      archive_read_data_skip(archive)
    }
    return entries
  }

  /// Extracts every entry into `destination`, which must not exist yet; returns the paths written. `refuse` may
  /// refuse an entry by its path components (returning why), before anything of it is written.
  public static func extract(
    _ archiveURL: URL, into destination: URL, refuse: ([String]) -> String? = { _ in nil }
  ) throws -> [String] {
    guard !POSIXFile.exists(destination) else { throw ArchiveError.destinationExists(path: destination.path) }
    try POSIXFile.createDirectory(destination)
    var written: [String] = []
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: blockSize, alignment: 16)
    defer { buffer.deallocate() }
    try readEntries(archiveURL) { archive, entry in
      guard let rawName = archive_entry_pathname(entry) else {
        throw ArchiveError.unsafeEntry(archive: archiveURL.path, entry: "", reason: "the entry has no name")
      }
      let name = String(cString: rawName)
      let components = try safeComponents(name, archive: archiveURL.path)
      if let reason = refuse(components) {
        throw ArchiveError.unsafeEntry(archive: archiveURL.path, entry: name, reason: reason)
      }
      let target = components.reduce(destination) { $0.appendingPathComponent($1) }
      switch kind(of: entry) {
      case .directory:
        try makeDirectories(components, under: destination)
      case .file:
        try makeDirectories(components.dropLast(), under: destination)
        try writeEntryData(archive, to: target, archivePath: archiveURL.path)
      case .other:
        throw ArchiveError.unsafeEntry(
          archive: archiveURL.path, entry: name,
          reason: "only plain files and folders are extracted (links and devices are not)")
      }
      written.append(components.joined(separator: "/"))
    }
    return written
  }

  // MARK: - Writing

  private static func addDirectory(_ archive: OpaquePointer, name: String, archivePath: String) throws {
    let entry = archive_entry_new()
    defer { archive_entry_free(entry) }
    archive_entry_set_pathname(entry, name + "/")
    archive_entry_set_filetype(entry, WB_AE_IFDIR)
    archive_entry_set_perm(entry, 0o700)
    try check(archive, archive_write_header(archive, entry), "writing \(name) into", archivePath)
  }

  /// Writes a file entry, streaming the file in blocks; returns the SHA-256 of the bytes written.
  private static func addFile(
    _ archive: OpaquePointer, source: URL, name: String, info: stat, buffer: UnsafeMutableRawPointer,
    archivePath: String
  ) throws -> String {
    try writeFileHeader(archive, name: name, size: Int64(info.st_size), archivePath: archivePath) {
      archive_entry_set_mtime($0, info.st_mtim.tv_sec, info.st_mtim.tv_nsec)
    }
    let fd = open(source.path, O_RDONLY | O_CLOEXEC)
    if fd < 0 { throw FileSystemError.cannotOpen(path: source.path, errno: errno) }
    defer { close(fd) }
    var hash = SHA256()
    var remaining = Int(info.st_size)
    while remaining > 0 {
      let count = read(fd, buffer, min(blockSize, remaining))
      if count < 0 {
        if errno == EINTR { continue }
        throw FileSystemError.cannotRead(path: source.path, errno: errno)
      }
      // A file that shrank while being archived: the header promised more bytes than there are.
      if count == 0 { throw ArchiveError.changedWhileArchiving(path: source.path) }
      hash.update(UnsafeRawBufferPointer(start: buffer, count: count))
      try writeData(archive, UnsafeRawBufferPointer(start: buffer, count: count), name: name, archivePath: archivePath)
      remaining -= count
    }
    return hash.finalizeHex()
  }

  /// Writes a file entry whose content is in memory.
  private static func addData(_ archive: OpaquePointer, _ bytes: [UInt8], name: String, archivePath: String) throws {
    try writeFileHeader(archive, name: name, size: Int64(bytes.count), archivePath: archivePath) { _ in }
    try bytes.withUnsafeBytes { try writeData(archive, $0, name: name, archivePath: archivePath) }
  }

  private static func writeFileHeader(
    _ archive: OpaquePointer, name: String, size: Int64, archivePath: String, _ configure: (OpaquePointer) -> Void
  ) throws {
    let entry = archive_entry_new()
    defer { archive_entry_free(entry) }
    archive_entry_set_pathname(entry, name)
    archive_entry_set_filetype(entry, WB_AE_IFREG)
    archive_entry_set_perm(entry, 0o600)
    archive_entry_set_size(entry, size)
    configure(entry!)
    try check(archive, archive_write_header(archive, entry), "writing \(name) into", archivePath)
  }

  private static func writeData(
    _ archive: OpaquePointer, _ bytes: UnsafeRawBufferPointer, name: String, archivePath: String
  ) throws {
    if archive_write_data(archive, bytes.baseAddress, bytes.count) < 0 {
      throw ArchiveError.library(operation: "writing \(name) into", path: archivePath, message: message(archive))
    }
  }

  /// Relative paths of everything under `folder`, sorted, so the same folder always gives the same archive.
  private static func sortedEntries(of folder: URL) throws -> [String] {
    guard let enumerator = FileManager.default.enumerator(atPath: folder.path) else {
      throw FileSystemError.cannotRead(path: folder.path, errno: ENOENT)
    }
    var paths: [String] = []
    while let next = enumerator.nextObject() as? String { paths.append(next) }
    return paths.sorted()
  }

  // MARK: - Reading

  private static func readEntries(_ archiveURL: URL, _ body: (OpaquePointer, OpaquePointer) throws -> Void) throws {
    guard let archive = archive_read_new() else {
      throw ArchiveError.library(operation: "reading", path: archiveURL.path, message: "out of memory")
    }
    defer { archive_read_free(archive) }
    let path = archiveURL.path
    try check(archive, archive_read_support_filter_all(archive), "reading", path)
    try check(archive, archive_read_support_format_tar(archive), "reading", path)
    try check(archive, archive_read_open_filename(archive, path, blockSize), "opening", path)
    var entry: OpaquePointer?
    while true {
      let status = archive_read_next_header(archive, &entry)
      if status == ARCHIVE_EOF { break }
      try check(archive, status, "reading", path)
      guard let entry else { break }
      try body(archive, entry)
    }
  }

  private static func kind(of entry: OpaquePointer) -> ArchiveEntryInfo.Kind {
    switch UInt32(archive_entry_filetype(entry)) {
    case WB_AE_IFREG: archive_entry_hardlink(entry) == nil ? .file : .other
    case WB_AE_IFDIR: .directory
    default: .other
    }
  }

  /// The path components of an entry name that stays inside the destination, or an error saying why it would not.
  static func safeComponents(_ name: String, archive: String) throws -> [String] {
    if name.hasPrefix("/") {
      throw ArchiveError.unsafeEntry(archive: archive, entry: name, reason: "absolute paths are not allowed")
    }
    let components = name.split(separator: "/", omittingEmptySubsequences: true).map(String.init).filter { $0 != "." }
    if components.contains("..") {
      throw ArchiveError.unsafeEntry(archive: archive, entry: name, reason: "\"..\" would leave the destination")
    }
    if components.isEmpty {
      throw ArchiveError.unsafeEntry(archive: archive, entry: name, reason: "the entry has no name")
    }
    return components
  }

  /// Creates folders one level at a time, refusing to pass through anything that is not a real folder (a symlink
  /// planted by an earlier entry, say).
  private static func makeDirectories(_ components: some Collection<String>, under root: URL) throws {
    var current = root
    for component in components {
      current.appendPathComponent(component)
      var info = stat()
      if lstat(current.path, &info) == 0 {
        guard (info.st_mode & S_IFMT) == S_IFDIR else {
          throw ArchiveError.unsafeEntry(
            archive: root.path, entry: current.path, reason: "a non-folder is in the way")
        }
        continue
      }
      if mkdir(current.path, POSIXFile.directoryPermissions) != 0 {
        throw FileSystemError.cannotCreateDirectory(path: current.path, errno: errno)
      }
    }
  }

  private static func writeEntryData(_ archive: OpaquePointer, to target: URL, archivePath: String) throws {
    let fd = open(target.path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, POSIXFile.filePermissions)
    if fd < 0 { throw FileSystemError.cannotOpen(path: target.path, errno: errno) }
    defer { close(fd) }
    var block: UnsafeRawPointer?
    var size = 0
    var offset: Int64 = 0
    while true {
      let status = archive_read_data_block(archive, &block, &size, &offset)
      if status == ARCHIVE_EOF { break }
      try check(archive, status, "extracting \(target.lastPathComponent) from", archivePath)
      guard let block, size > 0 else { continue }
      var done = 0
      while done < size {
        let written = pwrite(fd, block + done, size - done, off_t(offset) + off_t(done))
        if written < 0 {
          if errno == EINTR { continue }
          throw FileSystemError.cannotWrite(path: target.path, errno: errno)
        }
        done += written
      }
    }
    try POSIXFile.sync(fd, path: target.path)
  }

  // MARK: - Errors

  private static func check(_ archive: OpaquePointer, _ status: Int32, _ operation: String, _ path: String) throws {
    guard status < ARCHIVE_OK else { return }
    if status == ARCHIVE_WARN { return }
    throw ArchiveError.library(operation: operation, path: path, message: message(archive))
  }

  private static func message(_ archive: OpaquePointer) -> String {
    archive_error_string(archive).map { String(cString: $0) } ?? "unknown libarchive error"
  }
}
