import Foundation

@testable import WordbenchCore

/// Seeded mutations of valid inputs, for fuzzing the parsers of outside input in the normal test suite (no
/// libFuzzer): bit flips, deletions, insertions of bytes that parsers find interesting, duplications and cuts.
/// The seed makes every failure reproducible; an input that ever crashed belongs in a regression test.
struct Mutator {
  private var random: SeededRandom

  /// `make fuzz` runs the same tests longer: `WORDBENCH_FUZZ_SCALE` times the rounds, from `WORDBENCH_FUZZ_SEED`.
  static let environment = ProcessInfo.processInfo.environment
  static let scale = max(1, Int(environment["WORDBENCH_FUZZ_SCALE"] ?? "") ?? 1)
  static let extraSeed = UInt64(environment["WORDBENCH_FUZZ_SEED"] ?? "") ?? 0

  /// The rounds a test runs: `base` in the normal suite.
  static func rounds(_ base: Int) -> Int { base * scale }

  init(seed: UInt64, _ purpose: String) { random = SeededRandom(seed: seed &+ Self.extraSeed, purpose) }

  /// Bytes that tend to matter to parsers: quotes, brackets, escapes, line ends, NUL, bytes that are never UTF-8 or
  /// start a multi-byte sequence, a byte-order mark, huge numbers, deep nesting.
  static let interesting: [[UInt8]] = [
    [0], [0xFF], [0xC3], [0xE2, 0x80], [0xF0, 0x9F], Array("\"".utf8), Array("\\".utf8), Array("{".utf8),
    Array("}".utf8), Array("[".utf8), Array("]".utf8), Array(":".utf8), Array(",".utf8), Array("\n".utf8),
    Array("\r\n".utf8), Array("\t".utf8), Array("\u{FEFF}".utf8), Array("1e99999".utf8), Array("-0.0e-9".utf8),
    Array(String(repeating: "[", count: 600).utf8), Array("null".utf8), Array("\\u0000".utf8), Array("\\ud800".utf8),
    Array("..".utf8), Array("/".utf8), Array("=".utf8), Array("'''".utf8), Array("#".utf8),
  ]

  mutating func number(below limit: Int) -> Int { limit <= 0 ? 0 : Int(random.next() % UInt64(limit)) }

  /// One to four mutations of `input`.
  mutating func mutate(_ input: [UInt8]) -> [UInt8] {
    var bytes = input
    for _ in 0...number(below: 4) {
      let at = number(below: bytes.count + 1)
      switch number(below: 7) {
      case 0 where !bytes.isEmpty:
        let index = min(at, bytes.count - 1)
        bytes[index] ^= UInt8(1 << number(below: 8))
      case 1 where !bytes.isEmpty:
        bytes.removeSubrange(at..<min(bytes.count, at + 1 + number(below: 16)))
      case 2:
        bytes.insert(contentsOf: Self.interesting[number(below: Self.interesting.count)], at: at)
      case 3 where at < bytes.count:
        let end = min(bytes.count, at + 1 + number(below: 64))
        bytes.insert(contentsOf: bytes[at..<end], at: number(below: bytes.count + 1))
      case 4:
        bytes.removeSubrange(at...)
      case 5 where !bytes.isEmpty:
        bytes[min(at, bytes.count - 1)] = UInt8(truncatingIfNeeded: random.next())
      default:
        bytes.insert(contentsOf: (0..<number(below: 8)).map { _ in UInt8(truncatingIfNeeded: random.next()) }, at: at)
      }
    }
    return bytes
  }
}
