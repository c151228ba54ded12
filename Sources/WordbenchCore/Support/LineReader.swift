import Foundation

/// Reads a file line by line in large chunks, holding at most one chunk and one capped line in memory.
///
/// Lines end at `\n`; a `\r` before it is dropped, so LF and CRLF files read the same. A line longer than
/// `maxLineBytes` is reported as `.tooLong` with its length and never buffered whole, so a 10 MB line costs no
/// more memory than a short one.
public struct LineReader {
  /// One line of the file, valid only during the callback.
  public enum Line {
    case bytes(UnsafeRawBufferPointer)
    case tooLong(byteCount: Int)
  }

  public let url: URL
  public let maxLineBytes: Int
  public let chunkSize: Int

  public init(url: URL, maxLineBytes: Int = 64 * 1024, chunkSize: Int = 1 << 20) {
    self.url = url
    self.maxLineBytes = maxLineBytes
    self.chunkSize = chunkSize
  }

  /// Calls `body` with each line's 1-based number; `progress` gets the bytes read so far after every chunk.
  public func forEachLine(
    progress: (Int64) -> Void = { _ in },
    _ body: (Int, Line) throws -> Void
  ) throws {
    let fd = open(url.path, O_RDONLY | O_CLOEXEC)
    if fd < 0 { throw FileSystemError.cannotOpen(path: url.path, errno: errno) }
    defer { close(fd) }

    var state = SplitState(maxLineBytes: maxLineBytes)
    let chunk = UnsafeMutableRawBufferPointer.allocate(byteCount: chunkSize, alignment: 1)
    defer { chunk.deallocate() }
    var bytesRead: Int64 = 0
    while true {
      let count = read(fd, chunk.baseAddress, chunkSize)
      if count < 0 {
        if errno == EINTR { continue }
        throw FileSystemError.cannotRead(path: url.path, errno: errno)
      }
      if count == 0 { break }
      bytesRead += Int64(count)
      try state.consume(UnsafeRawBufferPointer(rebasing: chunk[0..<count]), body)
      progress(bytesRead)
    }
    try state.finish(body)
  }
}

/// The carry-over between chunks: the start of a line whose end is in a later chunk.
private struct SplitState {
  let maxLineBytes: Int
  var pending: [UInt8] = []
  var pendingLength = 0
  var lineNumber = 0

  init(maxLineBytes: Int) {
    self.maxLineBytes = maxLineBytes
    pending.reserveCapacity(min(maxLineBytes, 4096))
  }

  mutating func consume(_ chunk: UnsafeRawBufferPointer, _ body: (Int, LineReader.Line) throws -> Void) throws {
    guard let base = chunk.baseAddress else { return }
    var start = 0
    while start < chunk.count {
      guard let found = memchr(base + start, 0x0A, chunk.count - start) else {
        carry(UnsafeRawBufferPointer(rebasing: chunk[start...]))
        return
      }
      let end = base.distance(to: UnsafeRawPointer(found))
      let piece = UnsafeRawBufferPointer(rebasing: chunk[start..<end])
      if pendingLength == 0 {
        try emit(piece, body)
      } else {
        carry(piece)
        try emitPending(body)
      }
      start = end + 1
    }
  }

  mutating func finish(_ body: (Int, LineReader.Line) throws -> Void) throws {
    if pendingLength > 0 { try emitPending(body) }
  }

  private mutating func carry(_ piece: UnsafeRawBufferPointer) {
    if pendingLength + piece.count <= maxLineBytes + 1 {
      pending.append(contentsOf: piece)
    }
    pendingLength += piece.count
  }

  private mutating func emitPending(_ body: (Int, LineReader.Line) throws -> Void) throws {
    defer {
      pending.removeAll(keepingCapacity: true)
      pendingLength = 0
    }
    if pendingLength > maxLineBytes + 1 {
      lineNumber += 1
      try body(lineNumber, .tooLong(byteCount: pendingLength))
      return
    }
    try pending.withUnsafeBytes { try emit($0, body) }
  }

  private mutating func emit(_ raw: UnsafeRawBufferPointer, _ body: (Int, LineReader.Line) throws -> Void) throws {
    lineNumber += 1
    var line = raw
    if let last = line.last, last == 0x0D {
      line = UnsafeRawBufferPointer(rebasing: line.dropLast())
    }
    if line.count > maxLineBytes {
      try body(lineNumber, .tooLong(byteCount: line.count))
    } else {
      try body(lineNumber, .bytes(line))
    }
  }
}
