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
    /// Bit `n` set for each noun lexicographer file `n` (`noun.person` is 18) that holds one of its noun synsets:
    /// what kinds of thing the noun names.
    var nounFiles: UInt32 = 0

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

    /// Whether this noun and `other` name the same kind of thing in some sense: they share a lexicographer file,
    /// where a group (hippies) counts as persons too (hippie). A plural names what its singular names, so a noun
    /// that shares none with its apparent singular is a word of its own: optics (a science) is not optic (the eye),
    /// dominos (a game) not domino.
    func namesKindOf(_ other: Entry) -> Bool {
      Self.widened(nounFiles) & Self.widened(other.nounFiles) != 0
    }

    /// A noun only, and only of things: creatures, artifacts, substances, food, places, times (carpeting, icing,
    /// whiting, offing), never of an act, an event or a state (bowling, birthing).
    var namesThingsOnly: Bool {
      parts == PartOfSpeech.noun.bit && nounFiles != 0 && nounFiles & ~Self.thingFiles == 0
    }

    static let groupFile: UInt32 = 1 << 14
    static let personFile: UInt32 = 1 << 18
    /// `noun.animal`, `artifact`, `body`, `food`, `group`, `location`, `object`, `person`, `plant`, `substance`
    /// and `time`.
    static let thingFiles: UInt32 = [5, 6, 8, 13, 14, 15, 17, 18, 20, 27, 28].reduce(0) { $0 | 1 << $1 }

    private static func widened(_ files: UInt32) -> UInt32 {
      files & groupFile != 0 ? files | personFile : files
    }

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

  /// Adds `senses` (`Entry.commonSense`, `Entry.classSense`, `Entry.singularSense`) and the lexicographer file bit
  /// `file` to the noun lemma spelled by `key`, if it is one.
  mutating func addNounSenses(_ key: UnsafeBufferPointer<UInt8>, _ senses: UInt8, file: UInt32) {
    table.upsert(
      hash: HashedTable<Entry>.hash(key), insert: { nil },
      update: {
        $0.nounSenses |= senses
        $0.nounFiles |= file
      })
  }
}
