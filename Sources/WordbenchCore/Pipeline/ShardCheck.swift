import Foundation

/// The checks the Batch API makes on an input file, made locally first (`upload --dry-run`): at most 50,000
/// lines and 200 MB, no BOM, every line a JSON object with a unique valid `custom_id`, `POST` to the chat
/// endpoint, and one model throughout.
enum ShardCheck {
  static func check(_ url: URL, model: String) throws {
    let name = url.lastPathComponent
    let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? nil
    guard let size else { throw PipelineError.invalidShard(file: url.path, line: nil, reason: "missing") }
    guard size <= 200 * 1024 * 1024 else {
      throw PipelineError.invalidShard(file: name, line: nil, reason: "\(size) bytes, over the API's 200 MB")
    }
    var ids = Set<String>()
    var count = 0
    try LineReader(url: url, maxLineBytes: 16 << 20).forEachLine { number, line in
      guard case .bytes(let bytes) = line else {
        throw PipelineError.invalidShard(file: name, line: number, reason: "a line of over 16 MB")
      }
      if number == 1 && bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
        throw PipelineError.invalidShard(file: name, line: 1, reason: "starts with a byte-order mark")
      }
      count += 1
      guard let request = try? JSONValue(parsing: UnsafeRawBufferPointer(bytes)),
        let customID = request["custom_id"]?.string
      else { throw PipelineError.invalidShard(file: name, line: number, reason: "not a JSON request line") }
      guard EntrySchema.isValidName(customID), ids.insert(customID).inserted else {
        throw PipelineError.invalidShard(
          file: name, line: number, reason: "custom_id \(customID) is invalid or repeated")
      }
      guard request["method"]?.string == "POST", request["url"]?.string == RequestBuilder.endpoint else {
        throw PipelineError.invalidShard(file: name, line: number, reason: "not a POST to \(RequestBuilder.endpoint)")
      }
      guard request["body"]?["model"]?.string == model else {
        throw PipelineError.invalidShard(file: name, line: number, reason: "a model other than the run's \(model)")
      }
    }
    guard count <= ShardLimits.apiMaximumLines else {
      throw PipelineError.invalidShard(file: name, line: nil, reason: "\(count) lines, over the API's 50,000")
    }
  }
}
