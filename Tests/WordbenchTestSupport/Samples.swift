import Foundation

/// The repository's sample corpora, found from this file's place in the checkout.
public enum Samples {
  public static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../samples").standardizedFileURL

  /// `samples/sample-2000.txt`.
  public static var corpus: URL { folder.appendingPathComponent("sample-2000.txt") }
}
