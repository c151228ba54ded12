import Foundation

/// Reads whole files straight into arrays, with one `read` into the array's own storage: no intermediate `Data`,
/// no second copy. The lexicon reads tens of megabytes this way on every start.
enum FileBytes {
  /// The file's bytes, or nil when it cannot be opened or read.
  static func read(_ url: URL) -> [UInt8]? {
    read(url, as: UInt8.self)
  }

  /// The file's bytes as an array of plain values, or nil when it cannot be read or its size is not a multiple of
  /// the value's stride.
  static func read<Element>(_ url: URL, as: Element.Type) -> [Element]? {
    let fd = open(url.path, O_RDONLY | O_CLOEXEC)
    if fd < 0 { return nil }
    defer { close(fd) }
    let size = Int(lseek(fd, 0, SEEK_END))
    lseek(fd, 0, SEEK_SET)
    let stride = MemoryLayout<Element>.stride
    guard size >= 0, size % stride == 0 else { return nil }
    var complete = true
    let array = [Element](unsafeUninitializedCapacity: size / stride) { buffer, initialized in
      let raw = UnsafeMutableRawBufferPointer(buffer)
      var offset = 0
      while offset < size {
        let count = Foundation.read(fd, raw.baseAddress! + offset, size - offset)
        if count < 0 && errno == EINTR { continue }
        if count <= 0 { break }
        offset += count
      }
      complete = offset == size
      initialized = complete ? size / stride : 0
    }
    return complete ? array : nil
  }
}

extension Data {
  /// The lines of the data, split at `\n` with memchr (the generic `split` is many times slower on large files),
  /// as slices that share the data's storage. Like `split(separator:omittingEmptySubsequences: false)`.
  public func lines() -> [Data] {
    var ranges: [Range<Int>] = []
    withUnsafeBytes { buffer in
      guard let base = buffer.baseAddress else { return }
      var start = 0
      while let found = memchr(base + start, 0x0A, buffer.count - start) {
        let end = base.distance(to: UnsafeRawPointer(found))
        ranges.append(start..<end)
        start = end + 1
      }
      ranges.append(start..<buffer.count)
    }
    if ranges.isEmpty { return [self] }
    return ranges.map { self[startIndex + $0.lowerBound..<startIndex + $0.upperBound] }
  }
}

extension UnsafeBufferPointer<UInt8> {
  /// Calls `body` with each line (without its `\n`) and its number from 1, in place: the lexicon's text files are
  /// read this way, without a string or an array per line.
  func forEachLine(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> Void) rethrows {
    var start = 0
    var number = 0
    while start < count {
      var end = start
      while end < count && self[end] != 0x0A { end += 1 }
      number += 1
      try body(UnsafeBufferPointer(rebasing: self[start..<end]), number)
      start = end + 1
    }
  }
}
