import Foundation
import Synchronization

/// Who holds a workspace lock, as recorded in the `.lock` file.
public struct LockHolder: Codable, Equatable, Sendable {
  public var command: String
  public var pid: Int32
  public var since: Date?

  public init(command: String, pid: Int32, since: Date?) {
    self.command = command
    self.pid = pid
    self.since = since
  }

  /// The time the lock was taken, in the local time zone, or "an unknown time" when the record was unreadable.
  public var sinceText: String {
    guard let since else { return "an unknown time" }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.dateFormat = "yyyy-MM-dd HH:mm:ss"
    return formatter.string(from: since)
  }
}

/// The exclusive lock every writing command holds on the workspace's `.lock` file.
///
/// It is an `flock`, so the kernel releases it when its process dies, however it dies: a lock left by a dead process
/// is simply free for the next command, which overwrites the stale holder record. The record (command, pid, time)
/// only serves to tell a second writer who it is waiting for.
public final class WorkspaceLock: Sendable {
  private let descriptor: Mutex<Int32>
  public let holder: LockHolder

  /// How long a waiting command pauses between attempts.
  public static let retryInterval: Duration = .milliseconds(200)

  private init(descriptor: Int32, holder: LockHolder) {
    self.descriptor = Mutex(descriptor)
    self.holder = holder
  }

  deinit { release() }

  /// Takes the lock for `command`. When another process holds it, fails at once with `.busy`, or with `wait` polls
  /// through the context's sleeper (telling the context once who it is waiting for) until it is free.
  public static func acquire(
    at url: URL, command: String, wait: Bool, context: WordbenchContext
  ) async throws -> WorkspaceLock {
    let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, POSIXFile.filePermissions)
    if fd < 0 { throw WorkspaceError.fileSystem(.cannotOpen(path: url.path, errno: errno)) }
    var announced = false
    while flock(fd, LOCK_EX | LOCK_NB) != 0 {
      let code = errno
      guard code == EWOULDBLOCK || code == EINTR else {
        close(fd)
        throw WorkspaceError.fileSystem(.cannotOpen(path: url.path, errno: code))
      }
      if code == EINTR { continue }
      let current = readHolder(at: url)
      guard wait else {
        close(fd)
        throw WorkspaceError.busy(current)
      }
      if !announced {
        context.progress.notice(
          Notice("waiting for the workspace lock: \(current.command) (pid \(current.pid)) since \(current.sinceText)"))
        announced = true
      }
      do {
        try await context.sleeper.sleep(for: retryInterval)
      } catch {
        close(fd)
        throw error
      }
    }
    let holder = LockHolder(command: command, pid: context.processID, since: context.clock.now())
    do {
      let record = try JSONCoding.line(holder)
      ftruncate(fd, 0)
      try record.withUnsafeBytes { buffer in
        if pwrite(fd, buffer.baseAddress, buffer.count, 0) != buffer.count {
          throw WorkspaceError.fileSystem(.cannotWrite(path: url.path, errno: errno))
        }
      }
      fsync(fd)
    } catch {
      close(fd)
      throw error
    }
    return WorkspaceLock(descriptor: fd, holder: holder)
  }

  /// Gives the lock up; also happens when the value is released or the process ends.
  public func release() {
    descriptor.withLock { fd in
      guard fd >= 0 else { return }
      flock(fd, LOCK_UN)
      close(fd)
      fd = -1
    }
  }

  /// The holder record, or a placeholder when it is missing or half-written.
  static func readHolder(at url: URL) -> LockHolder {
    if let data = try? Data(contentsOf: url), let holder = try? JSONCoding.decoder().decode(LockHolder.self, from: data)
    {
      return holder
    }
    return LockHolder(command: "another wordbench command", pid: 0, since: nil)
  }
}

extension Workspace {
  /// Runs `body` while holding this workspace's lock for `command`.
  public func withLock<T>(
    command: String, wait: Bool, context: WordbenchContext, _ body: () async throws -> T
  ) async throws -> T {
    let lock = try await WorkspaceLock.acquire(at: lockURL, command: command, wait: wait, context: context)
    defer { lock.release() }
    return try await body()
  }
}
