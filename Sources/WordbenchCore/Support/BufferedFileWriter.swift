import Foundation

/// Writes a new file through a fixed-size buffer, so large outputs cost constant memory and few system calls.
public final class BufferedFileWriter {
  let descriptor: Int32
  let path: String
  private var buffer: [UInt8] = []
  private let capacity: Int
  private var closed = false
  /// Bytes handed to the writer so far.
  public private(set) var bytesWritten: Int64 = 0

  /// Creates the file, which must not exist yet.
  public init(creating url: URL, permissions: mode_t = 0o600, capacity: Int = 1 << 20) throws {
    descriptor = open(url.path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions)
    if descriptor < 0 { throw FileSystemError.cannotOpen(path: url.path, errno: errno) }
    path = url.path
    self.capacity = capacity
    buffer.reserveCapacity(capacity)
  }

  deinit { close() }

  public func write(_ bytes: some Sequence<UInt8>) throws {
    let before = buffer.count
    buffer.append(contentsOf: bytes)
    bytesWritten += Int64(buffer.count - before)
    if buffer.count >= capacity { try flush() }
  }

  public func write(_ raw: UnsafeRawBufferPointer) throws {
    buffer.append(contentsOf: raw)
    bytesWritten += Int64(raw.count)
    if buffer.count >= capacity { try flush() }
  }

  public func write(_ text: String) throws {
    try write(text.utf8)
  }

  /// Hands everything buffered to the kernel.
  public func flush() throws {
    guard !buffer.isEmpty else { return }
    try buffer.withUnsafeBytes { try POSIXFile.writeAll(descriptor, $0, path: path) }
    buffer.removeAll(keepingCapacity: true)
  }

  /// Flushes and forces the file's bytes to stable storage.
  public func sync() throws {
    try flush()
    try POSIXFile.sync(descriptor, path: path)
  }

  /// Closes the file; what is still buffered and not flushed is dropped.
  public func close() {
    guard !closed else { return }
    closed = true
    Foundation.close(descriptor)
  }
}
