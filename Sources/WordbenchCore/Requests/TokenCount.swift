import Foundation

/// `wordbench tokens`: the exact token count (and ids) of a text, as plumbing for checks and scripts.
public enum TokenCount {
  /// The count and ids of a text in one encoding.
  public struct Report: Codable, Equatable, Sendable {
    public var encoding: Tokenizer.Encoding
    public var tokens: Int
    public var ids: [Int]?
  }

  /// Counts the tokens of the whole file at `input` (UTF-8; a BOM counts as text, as it would in a message).
  public static func run(input: URL, encoding: Tokenizer.Encoding, ids: Bool, context: WordbenchContext)
    throws(RequestError) -> Report
  {
    let data: Data
    do {
      // A file handle, not Data(contentsOf:), so that /dev/stdin works when it is a pipe.
      data = try FileHandle(forReadingFrom: input).readToEnd() ?? Data()
    } catch {
      throw .unreadable(file: input.path, reason: "no such file or not readable")
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw .unreadable(file: input.path, reason: "not valid UTF-8 text")
    }
    let tokenizer = try Tokenizer.bundled(encoding, cache: LexiconCache(environment: context.environment))
    let encoded = tokenizer.encode(text)
    return Report(encoding: encoding, tokens: encoded.count, ids: ids ? encoded : nil)
  }
}
