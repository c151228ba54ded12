/// The first stage of every filter: each word of a list cleaned (`WordCleaner`), and a word that equals an earlier one
/// once cleaned skipped. A word cleaning leaves as it is (nearly every word of a word list) is only read as bytes
/// here, never copied out of the list.
struct CleanedWords: Sendable {
  let list: WordList
  /// The list positions of the distinct cleaned words, in list order.
  let positions: [Int32]
  /// The cleaned spelling of each distinct word that cleaning changed (case, a curly apostrophe), by list position.
  private let respelled: [Int32: String]

  init(_ list: WordList) {
    self.list = list
    let changes = Self.changes(in: list)
    let spellings = Dictionary(
      uniqueKeysWithValues: changes.lazy.compactMap { change in change.cleaned.map { (change.position, $0) } })
    let respelledKeys = Set(spellings.values.map(HashedTable<Int>.hash))
    let kinds = Self.kinds(of: list, changes)
    guard !list.distinct || !respelledKeys.isEmpty else {
      // Nothing respelled in a list without repeats: every word cleaning keeps stands, and none needs hashing.
      positions = Self.positions(kinds.indices) { kinds[$0] == .asIs }
      respelled = [:]
      return
    }
    // Words are told apart by their 64-bit hashes (see HashedTable). In a list without repeats, a word cleaning left
    // alone can only equal a respelled one, so the others get no key (0), and stand.
    let keys = Parallel.map(count: list.count) { index -> UInt64 in
      switch kinds[index] {
      case .dropped: return 0
      case .respelled: return spellings[Int32(index)].map(HashedTable<Int>.hash) ?? 0
      case .asIs:
        let key = list.withBytes(index, HashedTable<Int>.hash)
        return !list.distinct || respelledKeys.contains(key) ? key : 0
      }
    }
    let first = FirstOccurrences.of(keys)
    positions = Self.positions(keys.indices) { index in
      kinds[index] != .dropped && (keys[index] == 0 || first[index] == Int32(index))
    }
    respelled = spellings.filter { first[Int($0.key)] == $0.key }
  }

  /// The positions in `range` that `isIncluded` accepts.
  private static func positions(_ range: Range<Int>, where isIncluded: (Int) -> Bool) -> [Int32] {
    var positions: [Int32] = []
    positions.reserveCapacity(range.count)
    for index in range where isIncluded(index) { positions.append(Int32(index)) }
    return positions
  }

  private enum Kind: UInt8 {
    case asIs, respelled, dropped
  }

  /// What cleaning did to each word, by list position.
  private static func kinds(of list: WordList, _ changes: [(position: Int32, cleaned: String?)]) -> [Kind] {
    var kinds = [Kind](repeating: .asIs, count: list.count)
    for change in changes { kinds[Int(change.position)] = change.cleaned == nil ? .dropped : .respelled }
    return kinds
  }

  /// The words cleaning drops (nil) or changes, with their list positions, in list order. Found on all cores, in
  /// slices of the list; most slices of a word list have none.
  private static func changes(in list: WordList) -> [(position: Int32, cleaned: String?)] {
    let slice = 8192
    let slices = Parallel.map(count: (list.count + slice - 1) / slice, minimumCount: 2) { part in
      var changes: [(position: Int32, cleaned: String?)] = []
      list.forEachWord(in: part * slice..<min(list.count, (part + 1) * slice)) { index, bytes in
        if WordCleaner.isCleanAsIs(bytes) { return }
        let word = String(decoding: bytes, as: UTF8.self)
        switch WordCleaner.clean(word) {
        case .success(let cleaned) where cleaned == word: return
        case .success(let cleaned): changes.append((Int32(index), cleaned))
        case .failure: changes.append((Int32(index), nil))
        }
      }
      return changes
    }
    return Array(slices.joined())
  }

  var count: Int { positions.count }

  /// Cleaned word `index` (of the distinct ones).
  func word(_ index: Int) -> String {
    let position = positions[index]
    if !respelled.isEmpty, let word = respelled[position] { return word }
    return list[Int(position)]
  }

  /// The table hash (see `HashedTable`) of cleaned word `index`.
  func hash(_ index: Int) -> UInt64 {
    let position = positions[index]
    if !respelled.isEmpty, let word = respelled[position] { return HashedTable<Int>.hash(word) }
    return list.withBytes(Int(position), HashedTable<Int>.hash)
  }

  /// Whether `word` (cleaned) is one of the words; a scan, for the few words `--explain` asks about.
  func contains(_ word: String) -> Bool {
    let key = HashedTable<Int>.hash(word)
    return (0..<count).contains { hash($0) == key && self.word($0) == word }
  }
}
