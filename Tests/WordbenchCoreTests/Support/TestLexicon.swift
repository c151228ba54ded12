import Foundation
import Synchronization
import WordbenchCore

/// The real lexicon (Debian's WordNet, the bundled frequencies and stop list), loaded once for all tests.
enum TestLexicon {
  private static let cache = Mutex<Lexicon?>(nil)

  static func shared() throws -> Lexicon {
    try cache.withLock { cached in
      if let cached { return cached }
      let lexicon = try Lexicon.load(
        workspace: nil, context: WordbenchContext(environment: ProcessInfo.processInfo.environment))
      cached = lexicon
      return lexicon
    }
  }
}
