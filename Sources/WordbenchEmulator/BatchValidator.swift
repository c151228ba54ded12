import Foundation
import WordbenchCore

/// The validation phase of a batch (batch-api-contract.md §4.4 and §13.3): every line parsed and checked, one error
/// per bad line with its 1-based number.
enum BatchValidator {
  struct Result {
    var errors: [BatchError] = []
    var lines = 0
    var model: String?
    var promptTokens = 0
  }

  static func check(_ data: Data, endpoint: String, maximumLines: Int, synthesizer: Synthesizer) -> Result {
    var result = Result()
    var seen = Set<String>()
    let lines = data.lines()
    if data.isEmpty {
      result.errors.append(BatchError(code: "empty_file", message: "The input file is empty."))
      return result
    }
    // Parsing and counting tokens, the bulk of the work, run on all cores; the checks that depend on the lines
    // before (repeated ids, one model) run in order.
    let parsed = Parallel.map(lines, minimumCount: 256) { line -> (request: JSONValue, promptTokens: Int)? in
      guard let request = try? JSONValue(parsing: line), case .object = request else { return nil }
      guard let body = request["body"], case .object = body else { return (request, 0) }
      return (request, synthesizer.answerPromptTokens(body))
    }
    for (index, line) in lines.enumerated() where !(index == lines.count - 1 && line.isEmpty) {
      let number = index + 1
      func fail(_ code: String, _ message: String, param: String? = nil) {
        result.errors.append(BatchError(code: code, message: message, param: param, line: number))
      }
      result.lines += 1
      guard let (request, promptTokens) = parsed[index] else {
        fail("invalid_json_line", "This line is not parseable as valid JSON.")
        continue
      }
      guard let customID = request["custom_id"]?.string, request["method"]?.string == "POST",
        let url = request["url"]?.string, let body = request["body"], case .object = body
      else {
        fail("missing_required_parameter", "Each line needs custom_id, method POST, url and body.")
        continue
      }
      if !seen.insert(customID).inserted {
        fail("duplicate_custom_id", "The custom_id \(customID) is used more than once.", param: "custom_id")
      }
      if url != endpoint { fail("url_mismatch", "The url \(url) does not match the batch endpoint \(endpoint).") }
      let model = body["model"]?.string
      if result.model == nil { result.model = model }
      if model != result.model {
        fail("model_mismatch", "Every line of a batch must use the same model (\(result.model ?? "none")).")
      }
      result.promptTokens += promptTokens
    }
    if result.lines > maximumLines {
      result.errors.append(
        BatchError(
          code: "too_many_tasks",
          message: "A batch takes at most \(maximumLines) requests; this has \(result.lines)."))
    }
    return result
  }
}
