import Foundation

/// Turns SIGINT and SIGTERM into a flag that long-running loops ask between steps, so they stop cleanly instead of
/// dying in the middle of one. A second signal ends the process at once (every step is safe to interrupt).
final class StopRequest: @unchecked Sendable {
  // Unchecked: both fields are only touched under `lock`.
  private var requested = false
  private var sources: [any DispatchSourceSignal] = []
  private let lock = NSLock()

  init() {
    for number in [SIGINT, SIGTERM] {
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler { [self] in
        let again = lock.withLock {
          defer { requested = true }
          return requested
        }
        if again { exit(128 + number) }
        Terminal.standardError("stopping after the step under way (again to stop at once)...\n")
      }
      source.resume()
      lock.withLock { sources.append(source) }
    }
  }

  var isRequested: Bool { lock.withLock { requested } }
}
