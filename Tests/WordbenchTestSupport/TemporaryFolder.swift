import Foundation

/// A fresh folder under the system's temporary directory, removed when the value is released.
public final class TemporaryFolder: Sendable {
  public let url: URL

  public init(_ label: String = "wordbench-test") {
    url = FileManager.default.temporaryDirectory
      .appendingPathComponent("\(label)-\(ProcessInfo.processInfo.processIdentifier)-\(UUID().uuidString)")
    try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
  }

  deinit { try? FileManager.default.removeItem(at: url) }

  public var path: String { url.path }

  public func file(_ relative: String) -> URL { url.appendingPathComponent(relative) }

  /// Writes `bytes` to `relative`, creating folders on the way, and returns the file's URL.
  @discardableResult
  public func write(_ relative: String, bytes: [UInt8]) throws -> URL {
    let target = file(relative)
    try FileManager.default.createDirectory(
      at: target.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(bytes).write(to: target)
    return target
  }

  @discardableResult
  public func write(_ relative: String, _ text: String) throws -> URL {
    try write(relative, bytes: Array(text.utf8))
  }

  public func read(_ relative: String) throws -> String {
    try String(contentsOf: file(relative), encoding: .utf8)
  }
}
