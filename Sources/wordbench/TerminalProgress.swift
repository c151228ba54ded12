import Foundation
import Synchronization
import WordbenchCore

/// Renders the core's progress on stderr: a redrawn bar on a terminal, a plain line per quarter otherwise.
final class TerminalProgress: ProgressSink {
  private struct State {
    var lastDraw = Date.distantPast
    var lastQuarter: [String: Int64] = [:]
  }

  private let state = Mutex(State())
  private let isTerminal = Terminal.errorIsTerminal

  func notice(_ notice: Notice) {
    Terminal.standardError("\(notice.message)\n")
  }

  func progress(_ event: ProgressEvent) {
    if isTerminal { drawBar(event) } else { printLine(event) }
  }

  private func drawBar(_ event: ProgressEvent) {
    let now = Date()
    let draw = state.withLock { state -> Bool in
      guard event.finished || now.timeIntervalSince(state.lastDraw) >= 0.1 else { return false }
      state.lastDraw = now
      return true
    }
    guard draw else { return }
    let width = 30
    var line = "\r\(event.task) "
    if let total = event.total, total > 0 {
      let fraction = min(1, Double(event.completed) / Double(total))
      let filled = Int(fraction * Double(width))
      line += "[" + String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled) + "]"
      line += String(format: " %3.0f%%", fraction * 100)
    } else {
      line += "\(event.completed) \(event.unit)"
    }
    Terminal.standardError(line + (event.finished ? "\n" : ""))
  }

  private func printLine(_ event: ProgressEvent) {
    guard let total = event.total, total > 0 else {
      if event.finished { Terminal.standardError("\(event.task): done\n") }
      return
    }
    let quarter = min(4, event.completed * 4 / total)
    let fresh = state.withLock { state -> Bool in
      guard quarter > state.lastQuarter[event.task, default: 0] else { return false }
      state.lastQuarter[event.task] = quarter
      return true
    }
    if fresh { Terminal.standardError("\(event.task): \(quarter * 25)%\n") }
    if event.finished { state.withLock { _ = $0.lastQuarter.removeValue(forKey: event.task) } }
  }
}
