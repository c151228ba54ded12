/// WordNet's four parts of speech, in the order the lemmatizer tries them.
public enum PartOfSpeech: String, CaseIterable, Codable, Sendable {
  case noun, verb, adjective, adverb

  /// The position in `allCases`, for array-backed tables (cheaper than dictionaries keyed by the enum).
  var ordinal: Int {
    switch self {
    case .noun: 0
    case .verb: 1
    case .adjective: 2
    case .adverb: 3
    }
  }

  /// The bit of the part of speech in masks of several (`LemmaTable.Entry.parts`).
  var bit: UInt8 { 1 << ordinal }

  /// Every part of speech as a mask.
  static let all: UInt8 = 0b1111

  /// The part of speech at `ordinal` (0 to 3). The lemmatizer walks masks with this rather than with arrays: its
  /// threads do so for every word, and a shared array's reference count would be written by both cores at once.
  init(ordinal: Int) {
    switch ordinal {
    case 0: self = .noun
    case 1: self = .verb
    case 2: self = .adjective
    default: self = .adverb
    }
  }

  /// The parts of speech of every bit mask of ordinals, made once, so lookups need not build arrays.
  static let sets: [[PartOfSpeech]] = (0..<16).map { mask in allCases.filter { mask & (1 << $0.ordinal) != 0 } }

  /// The suffix of WordNet's file names (`index.noun`, `adj.exc`).
  var fileName: String {
    switch self {
    case .noun: "noun"
    case .verb: "verb"
    case .adjective: "adj"
    case .adverb: "adv"
    }
  }

  /// The one-letter tag WordNet uses inside its files (`n`, `v`, `a` or `s`, `r`).
  public var tag: String {
    switch self {
    case .noun: "n"
    case .verb: "v"
    case .adjective: "a"
    case .adverb: "r"
    }
  }

  /// The sense-key digit of the part of speech (`year%1:28:01::` is a noun); satellite adjectives use 5.
  var senseKeyDigits: [UInt8] {
    switch self {
    case .noun: [UInt8(ascii: "1")]
    case .verb: [UInt8(ascii: "2")]
    case .adjective: [UInt8(ascii: "3"), UInt8(ascii: "5")]
    case .adverb: [UInt8(ascii: "4")]
    }
  }
}
