import Foundation

/// A file mapped read-only into memory. Pages come from the page cache when first touched, so opening a large file
/// of which a command reads little (WordNet's index files, the lexicon's cached tables) costs almost nothing, and
/// nothing is copied. The mapping lives as long as this object.
///
/// Unchecked Sendable: the memory is mapped read-only, never written, and unmapped only when the last reference
/// goes away.
final class MappedFile: @unchecked Sendable {
  let bytes: UnsafeRawBufferPointer

  /// The file mapped, or nil when it cannot be opened or mapped.
  init?(_ url: URL) {
    let fd = open(url.path, O_RDONLY | O_CLOEXEC)
    if fd < 0 { return nil }
    defer { close(fd) }
    let size = Int(lseek(fd, 0, SEEK_END))
    guard size >= 0 else { return nil }
    guard size > 0 else {
      bytes = UnsafeRawBufferPointer(start: nil, count: 0)
      return
    }
    guard let address = mmap(nil, size, PROT_READ, MAP_PRIVATE, fd, 0), address != MAP_FAILED else { return nil }
    bytes = UnsafeRawBufferPointer(start: address, count: size)
  }

  deinit {
    if let address = bytes.baseAddress { munmap(UnsafeMutableRawPointer(mutating: address), bytes.count) }
  }
}
