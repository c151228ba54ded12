import Foundation

/// Every WordNet lemma with the parts of speech it has, how often it was sense-tagged in each, and whether it is a
/// name: one lookup answers "is it a lemma, of what, how common" for all four parts of speech at once. Built in one
/// pass over the `index.*` files, `cntlist.rev` and `data.noun`.
struct LemmaTable: Sendable {
  /// What the table knows of one lemma.
  struct Entry: Sendable {
    /// Bit `ordinal` set for each part of speech the lemma has.
    var parts: UInt8
    /// What its noun synsets say it is: `commonSense` when one spells it in lowercase, `classSense` when one is
    /// not an instance (a single person, place or work, marked `@i`), `singularSense` when one is not marked as a
    /// plural form. Neither of the first two: a name of individuals only.
    var nounSenses: UInt8 = 0
    /// Sense-tag counts by part of speech ordinal.
    var tags: (UInt16, UInt16, UInt16, UInt16)

    static let commonSense: UInt8 = 1
    static let classSense: UInt8 = 2
    static let singularSense: UInt8 = 4

    func has(_ pos: PartOfSpeech) -> Bool { parts & (1 << pos.ordinal) != 0 }

    /// A noun WordNet only ever writes capitalized (Williams, Mormon, Banks): a name.
    var isName: Bool { has(.noun) && nounSenses & Self.commonSense == 0 }

    /// A noun that names individuals only: every synset is an instance (Williams the playwright, Robert the Bruce).
    var isIndividual: Bool { has(.noun) && nounSenses & (Self.commonSense | Self.classSense) == 0 }

    /// A noun WordNet knows only in senses it marks as plural forms: tights, tongs, sundries.
    var isPluralOnly: Bool { has(.noun) && nounSenses & Self.singularSense == 0 }

    func tagCount(_ pos: PartOfSpeech) -> Int {
      switch pos.ordinal {
      case 0: Int(tags.0)
      case 1: Int(tags.1)
      case 2: Int(tags.2)
      default: Int(tags.3)
      }
    }

    /// The sense-tag counts of the parts of speech in `mask`, summed.
    func tagCount(in mask: UInt8) -> Int {
      var total = 0
      for ordinal in 0..<4 where mask & (1 << ordinal) != 0 { total += tagCount(PartOfSpeech(ordinal: ordinal)) }
      return total
    }

    mutating func addTags(_ count: Int, _ pos: PartOfSpeech) {
      func add(_ value: inout UInt16) { value = UInt16(min(Int(UInt16.max), Int(value) + count)) }
      switch pos.ordinal {
      case 0: add(&tags.0)
      case 1: add(&tags.1)
      case 2: add(&tags.2)
      default: add(&tags.3)
      }
    }
  }

  private var table: HashedTable<Entry>

  static let emptyEntry = Entry(parts: 0, tags: (0, 0, 0, 0))

  init(expectedCount: Int) {
    table = HashedTable(expectedCount: expectedCount, empty: Self.emptyEntry)
  }

  /// The table, from `cache` when it holds one built from the same `sources`.
  static func load(cache: LexiconCache, sources: [URL], build: () throws -> LemmaTable) rethrows -> LemmaTable {
    let table = try cache.table("lemmas", sources: sources, empty: emptyEntry) { try build().table }
    // Most lookups are of candidate bases that are not lemmas.
    return LemmaTable(table: cache.filtered(table, "lemmas", sources: sources))
  }

  private init(table: HashedTable<Entry>) { self.table = table }

  var count: Int { table.count }

  /// The entry of `word` (WordNet spelling: underscores for spaces), if it is a lemma.
  func entry(_ word: String) -> Entry? { table.value(for: word) }

  /// The entry of the lemma whose table hash is `hash`.
  func entry(hash: UInt64) -> Entry? { table.value(forHash: hash) }

  /// Adds `pos` (and tag counts) to the lemma spelled by `key`; with `insert` false, only lemmas already there
  /// are changed.
  mutating func add(_ key: UnsafeBufferPointer<UInt8>, _ pos: PartOfSpeech, tags: Int = 0, insert: Bool = true) {
    table.upsert(
      hash: HashedTable<Entry>.hash(key),
      insert: {
        guard insert else { return nil }
        var entry = Entry(parts: 1 << pos.ordinal, tags: (0, 0, 0, 0))
        entry.addTags(tags, pos)
        return entry
      },
      update: { entry in
        if insert { entry.parts |= 1 << pos.ordinal }
        entry.addTags(tags, pos)
      })
  }

  /// Adds `senses` (`Entry.commonSense`, `Entry.classSense`, `Entry.singularSense`) to the noun lemma spelled by `key`, if it is one.
  mutating func addNounSenses(_ key: UnsafeBufferPointer<UInt8>, _ senses: UInt8) {
    table.upsert(hash: HashedTable<Entry>.hash(key), insert: { nil }, update: { $0.nounSenses |= senses })
  }
}
