import Synchronization

/// One report of long-running work, as data; renderers decide how it looks.
public struct ProgressEvent: Sendable, Equatable {
  /// What is being worked on, for example `importing words.txt`.
  public var task: String
  /// How much is done, in `unit`s.
  public var completed: Int64
  /// How much there is in all, when known.
  public var total: Int64?
  /// The unit of `completed` and `total`, for example `bytes` or `lines`.
  public var unit: String
  /// True on the last report of a task.
  public var finished: Bool

  public init(task: String, completed: Int64, total: Int64?, unit: String, finished: Bool = false) {
    self.task = task
    self.completed = completed
    self.total = total
    self.unit = unit
    self.finished = finished
  }
}

/// A notice for the person running the command (not an error), such as "waiting for the workspace lock".
public struct Notice: Sendable, Equatable {
  public var message: String
  public init(_ message: String) { self.message = message }
}

/// Receives progress and notices from the core.
public protocol ProgressSink: Sendable {
  func progress(_ event: ProgressEvent)
  func notice(_ notice: Notice)
}

/// Drops everything; the default for library use.
public struct SilentProgressSink: ProgressSink {
  public init() {}
  public func progress(_ event: ProgressEvent) {}
  public func notice(_ notice: Notice) {}
}

/// Keeps everything it is given, for tests.
public final class RecordingProgressSink: ProgressSink {
  private let state = Mutex<(events: [ProgressEvent], notices: [Notice])>(([], []))

  public init() {}

  public var events: [ProgressEvent] { state.withLock { $0.events } }
  public var notices: [Notice] { state.withLock { $0.notices } }

  public func progress(_ event: ProgressEvent) { state.withLock { $0.events.append(event) } }
  public func notice(_ notice: Notice) { state.withLock { $0.notices.append(notice) } }
}
