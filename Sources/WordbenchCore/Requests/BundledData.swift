import Foundation

/// Files shipped in `Requests/Data`: the default templates, the model table, the tokenizer ranks.
enum BundledData {
  static func url(_ fileName: String) -> URL? {
    Bundle.module.url(forResource: fileName, withExtension: nil, subdirectory: "Data")
  }
}
