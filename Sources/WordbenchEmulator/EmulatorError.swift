import Foundation
import WordbenchCore

/// Problems starting or running the emulator.
public enum EmulatorError: Error, CustomStringConvertible {
  case cannotListen(host: String, port: UInt16, reason: String)
  case dataDirectory(path: String, reason: String)

  public var description: String {
    switch self {
    case .cannotListen(let host, let port, let reason):
      "cannot listen on \(host):\(port): \(reason); choose another --port (0 picks a free one)"
    case .dataDirectory(let path, let reason):
      "the emulator's data folder \(path) cannot be used: \(reason)"
    }
  }
}
