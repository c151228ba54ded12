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
    let output = try GrowingFile(creating: archiveURL)
    return try write(folder, rootName: rootName, to: output, compression: compression, checksumsName: checksumsName)
  }

  /// `create`, with the archive read back while it is written: a second thread follows the writer through the file,
  /// decompresses every entry and compares each file byte for byte with the file under `folder` it came from, and the
  /// checksum list with the checksums written. Throws `verificationFailed` with the first difference.
  ///
  /// Reading back beside the writing rather than after it uses the core that compression and hashing leave idle. The
  /// reader only ever sees bytes the writer has finished writing, through its own descriptor, as a later read would.
  @discardableResult
  public static func createVerified(
    from folder: URL, rootName: String, to archiveURL: URL, compression: ArchiveCompression, checksumsName: String
  ) throws -> [FileChecksum] {
    let output = try GrowingFile(creating: archiveURL)
    // Compression and hashing set the pace; reading back is a third of their work and keeps up from behind them.
    let reader = BackgroundWork(yielding: true) {
      try readBack(
        archiveURL, following: output, folder: folder, rootName: rootName, capturing: [checksumsName],
        releasingCache: true)
    }
    let written: [FileChecksum]
    do {
      written = try write(
        folder, rootName: rootName, to: output, compression: compression, checksumsName: checksumsName)
    } catch {
      // The reader stops at the end of what was written; the writer's error is the one that matters.
      _ = try? reader.result()
      throw error
    }
    let found = try reader.result()
    let expected = Set(written.map(\.path))
    if let difference = found.firstDifference(expected: expected, inMemory: [checksumsName: checksumListing(written)]) {
      throw ArchiveError.verificationFailed(archive: archiveURL.path, reason: difference)
    }
    return written
  }

  /// Writes the archive into `output`, flushes it to disk and marks it finished (also on failure, so a reader
  /// following it stops). A failed write (a full disk, say) is reported as such, not as libarchive's bare failure.
  private static func write(
    _ folder: URL, rootName: String, to output: GrowingFile, compression: ArchiveCompression, checksumsName: String?
  ) throws -> [FileChecksum] {
    defer { output.finish() }
    do {
      return try writeEntries(
        folder, rootName: rootName, to: output, compression: compression, checksumsName: checksumsName)
    } catch {
      throw output.writeFailure ?? error
    }
  }

  private static func writeEntries(
    _ folder: URL, rootName: String, to output: GrowingFile, compression: ArchiveCompression, checksumsName: String?
  ) throws -> [FileChecksum] {
    guard let archive = archive_write_new() else {
      throw ArchiveError.library(operation: "creating", path: output.path, message: "out of memory")
    }
    defer { archive_write_free(archive) }
    let path = output.path
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
    // As libarchive does for a file it opens itself: no padding after the last block.
    try check(archive, archive_write_set_bytes_in_last_block(archive, 1), "creating", path)
    let opened = archive_write_open(
      archive, Unmanaged.passUnretained(output).toOpaque(), nil,
      { _, client, bytes, count in
        guard let client, let bytes else { return -1 }
        return Unmanaged<GrowingFile>.fromOpaque(client).takeUnretainedValue().append(bytes, count: count)
      }, nil)
    try check(archive, opened, "creating", path)
    // 4 MB of blocks in flight: hashing (a core's worth of work) falls behind compression for a while without
    // stalling it, where one megabyte left the writer waiting.
    let hasher = BackgroundHasher(buffers: 16, size: blockSize)
    var files: [(path: String, digest: BackgroundHasher.Digest, size: Int64)] = []
    try addDirectory(archive, name: rootName, archivePath: path)
    for relative in try sortedEntries(of: folder) {
      let source = folder.appendingPathComponent(relative)
      let name = "\(rootName)/\(relative)"
      var info = stat()
      guard lstat(source.path, &info) == 0 else { throw FileSystemError.cannotRead(path: source.path, errno: errno) }
      switch info.st_mode & S_IFMT {
      case S_IFDIR: try addDirectory(archive, name: name, archivePath: path)
      case S_IFREG:
        let digest = try addFile(archive, source: source, name: name, info: info, hasher: hasher, archivePath: path)
        files.append((relative, digest, Int64(info.st_size)))
      default: throw ArchiveError.unsupportedFile(path: source.path)
      }
    }
    hasher.wait()
    let checksums = files.map { FileChecksum(path: $0.path, sha256: $0.digest.hex(), size: $0.size) }
    if let checksumsName {
      let listing = checksumListing(checksums)
      try addData(archive, listing, name: "\(rootName)/\(checksumsName)", archivePath: path)
    }
    try check(archive, archive_write_close(archive), "finishing", path)
    // A reader following the archive reads its last bytes while they are flushed.
    output.finish()
    try output.sync()
    return checksums
  }

  /// `SHA256SUMS`: a line `sha256  path` per file, as `sha256sum` writes it.
  public static func checksumListing(_ checksums: [FileChecksum]) -> [UInt8] {
    Array(checksums.map { "\($0.sha256)  \($0.path)\n" }.joined().utf8)
  }

  /// Reads the archive back and compares every file entry byte for byte with the file of the same name under
  /// `folder` (entries under `rootName/`), or with `inMemory[path]` for entries made from memory. Returns the first
  /// difference found, or nil when the archive holds exactly `expected` (relative paths) plus `inMemory`'s entries.
  public static func firstDifference(
    _ archiveURL: URL, folder: URL, rootName: String, expected: Set<String>, inMemory: [String: [UInt8]]
  ) throws -> String? {
    try readBack(archiveURL, folder: folder, rootName: rootName, capturing: Set(inMemory.keys))
      .firstDifference(expected: expected, inMemory: inMemory)
  }

  /// Reads an archive (or, `following` it, one being written) and compares each file entry under `rootName/` byte
  /// for byte with the file of the same path under `folder`, stopping at the first difference; entries named in
  /// `capturing` are kept instead. With `releasingCache`, each original's cached pages are dropped once compared
  /// (the folder is about to be removed, and freeing them here spares the removal that work).
  static func readBack(
    _ archiveURL: URL, following output: GrowingFile? = nil, folder: URL, rootName: String, capturing: Set<String>,
    releasingCache: Bool = false
  ) throws -> ReadBack {
    var found = ReadBack(rootName: rootName)
    // The original's bytes for each block, read into one buffer for the whole comparison.
    let scratch = UnsafeMutableRawPointer.allocate(byteCount: blockSize, alignment: 16)
    defer { scratch.deallocate() }
    try readEntries(archiveURL, following: output) { archive, entry in
      // The first difference is the answer; nothing after it needs reading.
      if found.difference != nil { throw StopReading() }
      let name = archive_entry_pathname(entry).map { String(cString: $0) } ?? ""
      guard kind(of: entry) == .file else { return }
      guard name.hasPrefix(rootName + "/") else {
        found.difference = "\(name) is outside \(rootName)/"
        return
      }
      let relative = String(name.dropFirst(rootName.count + 1))
      found.seen.insert(relative)
      if capturing.contains(relative) {
        var bytes: [UInt8] = []
        try forEachBlock(archive, entry: name, archivePath: archiveURL.path) { bytes.append(contentsOf: $0) }
        found.captured[relative] = bytes
        return
      }
      let original = open(folder.appendingPathComponent(relative).path, O_RDONLY | O_CLOEXEC)
      guard original >= 0 else {
        // Judged once the writer has said what it wrote (an entry it did not write, or a file gone since).
        if errno == ENOENT {
          found.withoutOriginal.insert(relative)
          return
        }
        throw FileSystemError.cannotOpen(path: folder.appendingPathComponent(relative).path, errno: errno)
      }
      defer {
        if releasingCache { posix_fadvise(original, 0, 0, POSIX_FADV_DONTNEED) }
        close(original)
      }
      var offset = 0
      var same = true
      try forEachBlock(archive, entry: name, archivePath: archiveURL.path) { block in
        guard same else { return }
        same = matches(block, file: original, at: offset, scratch: scratch)
        if !same { found.difference = "\(name) differs from what was written at byte \(offset)" }
        offset += block.count
      }
      guard same else { return }
      var info = stat()
      if fstat(original, &info) != 0 || Int(info.st_size) != offset {
        found.difference = "\(name) is shorter than what was written"
      }
    }
    return found
  }

  /// Whether `block` equals the file's bytes at `offset`, read into `scratch` (a block's size).
  private static func matches(
    _ block: UnsafeRawBufferPointer, file fd: Int32, at offset: Int, scratch: UnsafeMutableRawPointer
  ) -> Bool {
    var done = 0
    while done < block.count {
      let count = pread(fd, scratch + done, block.count - done, off_t(offset + done))
      if count < 0 && errno == EINTR { continue }
      if count <= 0 { return false }
      done += count
    }
    return memcmp(scratch, block.baseAddress!, block.count) == 0
  }

  /// The content of the file entry `name`, reading only as far as it (a run's manifest comes early); nil when the
  /// archive has no such file or it is larger than `limit`.
  public static func contents(of name: String, in archiveURL: URL, limit: Int = 16 << 20) throws -> [UInt8]? {
    var found: [UInt8]?
    try readEntries(archiveURL) { archive, entry in
      guard kind(of: entry) == .file, archive_entry_pathname(entry).map({ String(cString: $0) }) == name,
        archive_entry_size(entry) <= limit
      else { return }
      var bytes: [UInt8] = []
      try forEachBlock(archive, entry: name, archivePath: archiveURL.path) { bytes.append(contentsOf: $0) }
      found = bytes
      throw StopReading()
    }
    return found
  }

  /// Reads every entry of an archive (decompressing and hashing all file data, extracting nothing): the entries in
  /// order, each file's SHA-256, and the content of the file entry named `captured` (a small one) if there is one.
  public static func scan(_ archiveURL: URL, capturing captured: String? = nil) throws -> ArchiveScan {
    var scan = ArchiveScan()
    try readEntries(archiveURL) { archive, entry in
      let info = ArchiveEntryInfo(
        path: archive_entry_pathname(entry).map { String(cString: $0) } ?? "", kind: kind(of: entry),
        size: archive_entry_size(entry))
      scan.entries.append(info)
      guard info.kind == .file else { return }
      var hash = FileDigest()
      let keep = info.path == captured
      var kept: [UInt8] = []
      try forEachBlock(archive, entry: info.path, archivePath: archiveURL.path) { block in
        hash.update(block)
        if keep && kept.count < 64 << 20 { kept.append(contentsOf: block) }
      }
      scan.sha256[info.path] = hash.hex()
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

  /// Writes a file entry, streaming the file in blocks; returns the SHA-256 of the bytes written, complete once
  /// `hasher` has caught up.
  private static func addFile(
    _ archive: OpaquePointer, source: URL, name: String, info: stat, hasher: BackgroundHasher, archivePath: String
  ) throws -> BackgroundHasher.Digest {
    try writeFileHeader(archive, name: name, size: Int64(info.st_size), archivePath: archivePath) {
      archive_entry_set_mtime($0, info.st_mtim.tv_sec, info.st_mtim.tv_nsec)
    }
    let fd = open(source.path, O_RDONLY | O_CLOEXEC)
    if fd < 0 { throw FileSystemError.cannotOpen(path: source.path, errno: errno) }
    defer { close(fd) }
    // Each block is hashed on another core while libarchive compresses it here; both only read the block.
    let digest = BackgroundHasher.Digest()
    var remaining = Int(info.st_size)
    while remaining > 0 {
      let buffer = hasher.nextBuffer()
      var count = 0
      repeat { count = read(fd, buffer, min(blockSize, remaining)) } while count < 0 && errno == EINTR
      if count < 0 {
        hasher.returnBuffer()
        throw FileSystemError.cannotRead(path: source.path, errno: errno)
      }
      // A file that shrank while being archived: the header promised more bytes than there are.
      if count == 0 {
        hasher.returnBuffer()
        throw ArchiveError.changedWhileArchiving(path: source.path)
      }
      let block = UnsafeRawBufferPointer(start: buffer, count: count)
      hasher.hash(block, into: digest)
      try writeData(archive, block, name: name, archivePath: archivePath)
      remaining -= count
    }
    return digest
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

  /// Calls `body` with each entry of the archive at `archiveURL`, or, `following` it, of the archive being written
  /// there.
  private static func readEntries(
    _ archiveURL: URL, following output: GrowingFile? = nil, _ body: (OpaquePointer, OpaquePointer) throws -> Void
  ) throws {
    guard let archive = archive_read_new() else {
      throw ArchiveError.library(operation: "reading", path: archiveURL.path, message: "out of memory")
    }
    defer { archive_read_free(archive) }
    let path = archiveURL.path
    try check(archive, archive_read_support_filter_all(archive), "reading", path)
    try check(archive, archive_read_support_format_tar(archive), "reading", path)
    if let output {
      let opened = archive_read_open(
        archive, Unmanaged.passUnretained(output).toOpaque(), nil,
        { _, client, block in
          guard let client, let block else { return -1 }
          return Unmanaged<GrowingFile>.fromOpaque(client).takeUnretainedValue().readNext(into: block)
        }, nil)
      try check(archive, opened, "opening", path)
    } else {
      try check(archive, archive_read_open_filename(archive, path, blockSize), "opening", path)
    }
    var entry: OpaquePointer?
    while true {
      let status = archive_read_next_header(archive, &entry)
      if status == ARCHIVE_EOF { break }
      try check(archive, status, "reading", path)
      guard let entry else { break }
      do {
        try body(archive, entry)
      } catch is StopReading {
        return
      }
    }
  }

  /// Calls `body` with each block of the current entry's data, at most `blockSize` bytes each, where libarchive
  /// decompressed it (no copy); the holes of a sparse entry come as blocks of zeros.
  private static func forEachBlock(
    _ archive: OpaquePointer, entry: String, archivePath: String, _ body: (UnsafeRawBufferPointer) throws -> Void
  ) throws {
    var position: Int64 = 0
    var block: UnsafeRawPointer?
    var size = 0
    var offset: Int64 = 0
    while true {
      let status = archive_read_data_block(archive, &block, &size, &offset)
      if status != ARCHIVE_OK && status != ARCHIVE_EOF {
        throw ArchiveError.library(operation: "reading \(entry) from", path: archivePath, message: message(archive))
      }
      while position < offset {
        let count = Int(min(offset - position, Int64(blockSize)))
        try zeros.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0.prefix(count))) }
        position += Int64(count)
      }
      if status == ARCHIVE_EOF { return }
      guard let block else { continue }
      var done = 0
      while done < size {
        let count = min(size - done, blockSize)
        try body(UnsafeRawBufferPointer(start: block + done, count: count))
        done += count
      }
      position += Int64(size)
    }
  }

  private static let zeros = [UInt8](repeating: 0, count: blockSize)

  /// Thrown by a `readEntries` body that has what it came for.
  private struct StopReading: Error {}

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
      if status == ARCHIVE_EOF {
        // At the end, the offset is the entry's full size: a sparse file's trailing hole is only that.
        if ftruncate(fd, off_t(offset)) != 0 { throw FileSystemError.cannotWrite(path: target.path, errno: errno) }
        break
      }
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

/// SHA-256 through Nettle, which uses the CPU's SHA instructions where it has them: several times faster than the
/// portable `SHA256`, and archives hash every byte of a run twice (writing and reading back).
struct FileDigest {
  private var context = sha256_ctx()

  init() { nettle_sha256_init(&context) }

  mutating func update(_ bytes: UnsafeRawBufferPointer) {
    guard let base = bytes.baseAddress else { return }
    nettle_sha256_update(&context, bytes.count, base.assumingMemoryBound(to: UInt8.self))
  }

  /// The digest as 64 lowercase hex digits; the context starts over afterwards.
  mutating func hex() -> String {
    var digest = [UInt8](repeating: 0, count: 32)
    nettle_sha256_digest(&context, 32, &digest)
    return digest.map { String(format: "%02x", $0) }.joined()
  }
}

/// SHA-256 of blocks hashed in order on a queue of their own, while the caller compresses them: the caller reads
/// each block into `nextBuffer()`, hands it to `hash`, and gets that buffer back (`nextBuffer` waits for it) only once
/// its block is hashed, so reading and compressing run a few blocks ahead of hashing instead of waiting on every
/// block.
final class BackgroundHasher: @unchecked Sendable {
  /// One file's running digest, fed only by the hashing queue; read with `hex` after `wait`.
  final class Digest: @unchecked Sendable {
    fileprivate var digest = FileDigest()
    func hex() -> String { digest.hex() }
  }

  private let queue = DispatchQueue(label: "wordbench.archive.hash")
  private let buffers: [UnsafeMutableRawPointer]
  /// Counts the buffers free to read into. Started at zero and raised, so it may end lower than it started (a
  /// buffer taken when an error ends the writing) without libdispatch taking that for a semaphore still in use.
  private let free = DispatchSemaphore(value: 0)
  private var next = 0

  init(buffers count: Int, size: Int) {
    buffers = (0..<count).map { _ in UnsafeMutableRawPointer.allocate(byteCount: size, alignment: 16) }
    for _ in buffers { free.signal() }
  }

  deinit {
    wait()
    for buffer in buffers { buffer.deallocate() }
  }

  /// The buffer to read the next block into, once the block it last held is hashed. Blocks are hashed in order,
  /// so when any buffer is free, the oldest (the next in turn) is.
  func nextBuffer() -> UnsafeMutableRawPointer {
    free.wait()
    defer { next = (next + 1) % buffers.count }
    return buffers[next]
  }

  /// Gives back the buffer last handed out, unused.
  func returnBuffer() {
    next = (next + buffers.count - 1) % buffers.count
    free.signal()
  }

  /// Adds `block` (in the buffer last handed out) to `digest` after every block handed in before it.
  func hash(_ block: UnsafeRawBufferPointer, into digest: Digest) {
    nonisolated(unsafe) let block = block
    queue.async {
      digest.digest.update(block)
      self.free.signal()
    }
  }

  /// Waits until every block handed in is hashed.
  func wait() { queue.sync {} }
}

/// An archive file being written, for libarchive's client callbacks: the writer appends through one descriptor, and
/// a reader may follow through another, waiting for bytes not written yet, so that the archive is read back while it
/// is made. The reader only ever sees the bytes of completed writes.
final class GrowingFile: @unchecked Sendable {
  let path: String
  private let writer: Int32
  private let reader: Int32
  private let condition = NSCondition()
  private var length = 0
  private var finished = false
  /// The errno of the write that failed, if one did.
  private var writeError: Int32 = 0
  /// The reader's position and block, used by the reader's thread only.
  private var readOffset = 0
  private let readBuffer = UnsafeMutableRawPointer.allocate(byteCount: TarArchive.blockSize, alignment: 16)

  /// Creates (or empties) the file; an archive holds data, so it is private.
  init(creating url: URL) throws {
    path = url.path
    writer = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, POSIXFile.filePermissions)
    if writer < 0 {
      readBuffer.deallocate()
      throw FileSystemError.cannotOpen(path: path, errno: errno)
    }
    var info = stat()
    if fstat(writer, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG { fchmod(writer, POSIXFile.filePermissions) }
    reader = open(path, O_RDONLY | O_CLOEXEC)
    if reader < 0 {
      let code = errno
      close(writer)
      readBuffer.deallocate()
      throw FileSystemError.cannotOpen(path: path, errno: code)
    }
  }

  deinit {
    close(writer)
    close(reader)
    readBuffer.deallocate()
  }

  /// Writes all of `bytes`; returns `count`, or -1 when the file cannot be written (the cause is kept).
  func append(_ bytes: UnsafeRawPointer, count: Int) -> Int {
    var done = 0
    while done < count {
      let written = write(writer, bytes + done, count - done)
      if written < 0 {
        if errno == EINTR { continue }
        let code = errno
        condition.withLock { writeError = code }
        return -1
      }
      done += written
    }
    condition.withLock {
      length += count
      condition.broadcast()
    }
    return count
  }

  /// No more bytes will come: a reader that has read everything gets the end of the file.
  func finish() {
    condition.withLock {
      finished = true
      condition.broadcast()
    }
  }

  func sync() throws { try POSIXFile.sync(writer, path: path) }

  /// The error of the write that failed, if one did.
  var writeFailure: FileSystemError? {
    condition.withLock { writeError == 0 ? nil : FileSystemError.cannotWrite(path: path, errno: writeError) }
  }

  /// Waits for bytes past the reader's position (or for the writing to finish) and reads up to a block of them into
  /// the reader's buffer, which `block` is pointed at; 0 at the end of the file, -1 when it cannot be read.
  func readNext(into block: UnsafeMutablePointer<UnsafeRawPointer?>) -> Int {
    let available = condition.withLock {
      while length <= readOffset && !finished { condition.wait() }
      return length - readOffset
    }
    guard available > 0 else { return 0 }
    while true {
      let count = pread(reader, readBuffer, min(available, TarArchive.blockSize), off_t(readOffset))
      if count < 0 && errno == EINTR { continue }
      if count < 0 { return -1 }
      readOffset += count
      block.pointee = UnsafeRawPointer(readBuffer)
      return count
    }
  }
}
