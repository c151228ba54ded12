import Foundation

/// An exact byte-pair-encoding tokenizer for OpenAI's `o200k_base` (tokenizer.md): the same ids as tiktoken.
/// Special-token text such as `<|endoftext|>` is encoded as plain text, as the API does for message content.
public struct Tokenizer: Sendable {
  /// The encodings wordbench can count with. `cl100k_base` is not bundled (its ranks are not in the shared data).
  public enum Encoding: String, CaseIterable, Codable, Sendable {
    case o200kBase = "o200k_base"

    var resourceName: String { rawValue }
  }

  public let encoding: Encoding
  /// Token bytes (by their FNV-1a hash, see `HashedTable`) to rank; `UInt32.max` is absent.
  private let ranks: HashedTable<UInt32>

  /// The bundled ranks of `encoding`, through the lexicon cache when there is one.
  public static func bundled(_ encoding: Encoding = .o200kBase, cache: LexiconCache? = nil) throws(RequestError)
    -> Tokenizer
  {
    let name = "\(encoding.resourceName).tiktoken"
    guard let url = BundledData.url(name) else { throw .resourceMissing(name) }
    do {
      let ranks = try (cache ?? LexiconCache(environment: [:])).table(encoding.rawValue, sources: [url], empty: .max) {
        guard let bytes = FileBytes.read(url) else { throw RequestError.resourceMissing(name) }
        return try Self.parseRanks(bytes, file: name)
      }
      return Tokenizer(encoding: encoding, ranks: ranks)
    } catch let error as RequestError {
      throw error
    } catch {
      throw .resourceMissing(name)
    }
  }

  /// Ranks from tiktoken's file format: `<base64 of the token's bytes> <rank>` per line.
  static func parseRanks(_ bytes: [UInt8], file: String) throws(RequestError) -> HashedTable<UInt32> {
    var table = HashedTable<UInt32>(expectedCount: 200_000, empty: .max)
    var lineNumber = 0
    for line in bytes.split(separator: 0x0A, omittingEmptySubsequences: true) {
      lineNumber += 1
      let fields = line.split(separator: 0x20)
      guard fields.count == 2, let token = Data(base64Encoded: Data(fields[0])),
        let rank = UInt32(String(decoding: fields[1], as: UTF8.self))
      else { throw .badRanks(file: file, line: lineNumber) }
      let hash = token.withUnsafeBytes { HashedTable<UInt32>.hash($0.bindMemory(to: UInt8.self)) }
      _ = table.insertIfAbsent(hash: hash, rank)
    }
    return table
  }

  /// The token ids of `text`.
  public func encode(_ text: String) -> [Int] {
    var ids: [Int] = []
    forEachToken(text) { ids.append(Int($0)) }
    return ids
  }

  /// The number of tokens of `text`.
  public func count(_ text: String) -> Int {
    var count = 0
    forEachToken(text) { _ in count += 1 }
    return count
  }

  private func forEachToken(_ text: String, _ body: (UInt32) -> Void) {
    var utf8 = Array(text.utf8)
    utf8.withUnsafeMutableBufferPointer { buffer in
      let bytes = UnsafeBufferPointer(buffer)
      PreTokenizer.forEachPiece(text) { range in
        encodePiece(UnsafeBufferPointer(rebasing: bytes[range]), body)
      }
    }
  }

  /// One piece: a whole token when it is one, else merged from single bytes, the lowest-ranked adjacent pair
  /// first (leftmost on ties), until no adjacent pair makes a token.
  private func encodePiece(_ piece: UnsafeBufferPointer<UInt8>, _ body: (UInt32) -> Void) {
    if let whole = rank(piece, 0..<piece.count) { return body(whole) }
    // bounds[i]..<bounds[i+1] is part i; pairRanks[i] is the rank of parts i and i+1 together.
    var bounds = Array(0...piece.count)
    var pairRanks = (0..<piece.count - 1).map { rank(piece, $0..<$0 + 2) ?? .max }
    while let best = pairRanks.indices.min(by: { pairRanks[$0] < pairRanks[$1] }), pairRanks[best] != .max {
      bounds.remove(at: best + 1)
      pairRanks.remove(at: best)
      if best < pairRanks.count { pairRanks[best] = rank(piece, bounds[best]..<bounds[best + 2]) ?? .max }
      if best > 0 { pairRanks[best - 1] = rank(piece, bounds[best - 1]..<bounds[best + 1]) ?? .max }
    }
    for part in 0..<bounds.count - 1 {
      // Every single byte is a token, so a part always has a rank.
      body(rank(piece, bounds[part]..<bounds[part + 1]) ?? .max)
    }
  }

  private func rank(_ piece: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UInt32? {
    let value = ranks.value(forHash: HashedTable<UInt32>.hash(UnsafeBufferPointer(rebasing: piece[range])))
    return value == .max ? nil : value
  }
}
