import Foundation

/// Reads, checks and writes `workspace.toml`.
public enum WorkspaceConfigFile {
  public static let fileName = "workspace.toml"

  /// Parses and validates the text of a configuration file; every problem found is reported, not just the first.
  public static func parse(_ text: String, file: String) throws(WorkspaceError) -> WorkspaceConfig {
    let document: TOMLDocument
    do {
      document = try TOMLDocument.parse(text)
    } catch {
      throw .invalidConfig([
        ConfigDiagnostic(file: file, line: error.line, key: nil, message: "\(error.message) (column \(error.column))")
      ])
    }
    var config = WorkspaceConfig()
    var problems: [ConfigDiagnostic] = []
    let keys = ConfigSchema.keys
    let sectionNames = ConfigSchema.sections.map(\.name)
    for table in document.tables {
      if table.name.isEmpty {
        for entry in table.entries {
          problems.append(
            ConfigDiagnostic(
              file: file, line: entry.line, key: entry.key,
              message: "settings belong under a section; sections: \(sectionNames.joined(separator: ", "))"))
        }
        continue
      }
      if table.name.hasPrefix(modelSectionPrefix) {
        let model = String(table.name.dropFirst(modelSectionPrefix.count))
        config.models[model, default: ModelOverride()] = modelOverride(table, file: file, problems: &problems)
        continue
      }
      guard sectionNames.contains(table.name) else {
        problems.append(
          ConfigDiagnostic(
            file: file, line: table.line, key: nil,
            message: "unknown section [\(table.name)]; sections: \(sectionNames.joined(separator: ", "))"))
        continue
      }
      let allowed = keys.filter { $0.section == table.name }
      for entry in table.entries {
        let path = "\(table.name).\(entry.key)"
        guard let key = allowed.first(where: { $0.name == entry.key }) else {
          problems.append(
            ConfigDiagnostic(
              file: file, line: entry.line, key: path,
              message: "unknown key; keys of [\(table.name)]: \(allowed.map(\.name).joined(separator: ", "))"))
          continue
        }
        if let problem = key.apply(entry.value, &config) {
          problems.append(ConfigDiagnostic(file: file, line: entry.line, key: path, message: problem))
        }
      }
    }
    if !problems.isEmpty { throw .invalidConfig(problems) }
    return config
  }

  /// `[models."gpt-4o-mini"]` and the like: per-model prices and limits.
  static let modelSectionPrefix = "models."

  private static func modelOverride(_ table: TOMLTable, file: String, problems: inout [ConfigDiagnostic])
    -> ModelOverride
  {
    var override = ModelOverride()
    for entry in table.entries {
      let path = "\(table.name).\(entry.key)"
      guard let key = ConfigSchema.modelKeys.first(where: { $0.name == entry.key }) else {
        let names = ConfigSchema.modelKeys.map(\.name).joined(separator: ", ")
        problems.append(
          ConfigDiagnostic(file: file, line: entry.line, key: path, message: "unknown key; keys of a model: \(names)"))
        continue
      }
      if let problem = key.apply(entry.value, &override) {
        problems.append(ConfigDiagnostic(file: file, line: entry.line, key: path, message: problem.message))
      }
    }
    return override
  }

  /// Loads the configuration file at `url`.
  public static func load(from url: URL) throws(WorkspaceError) -> WorkspaceConfig {
    let data: Data
    do {
      data = try Data(contentsOf: url)
    } catch {
      throw .invalidConfig([ConfigDiagnostic(file: url.path, line: nil, key: nil, message: "cannot be read")])
    }
    guard let text = String(data: data, encoding: .utf8) else {
      throw .invalidConfig([
        ConfigDiagnostic(file: url.path, line: nil, key: nil, message: "is not valid UTF-8 text")
      ])
    }
    return try parse(text, file: url.path)
  }

  /// The text of a configuration file holding `config`, with every key and its meaning documented.
  public static func render(_ config: WorkspaceConfig) -> String {
    var out = """
      # wordbench workspace configuration.
      # Every key is optional: a missing key takes the default shown here. Unknown keys are an error.
      # Secrets never go here: the API key comes from the environment (OPENAI_API_KEY).

      """
    let keys = ConfigSchema.keys
    for section in ConfigSchema.sections {
      out += "\n# \(section.help)\n[\(section.name)]\n"
      for key in keys where key.section == section.name {
        out += "# \(key.help)\n\(key.name) = \(key.render(config))\n"
      }
    }
    out += """

      # Per-model prices (USD per 1M tokens) and limits that replace the bundled table (wordbench estimate shows
      # its date). Batch prices default to half the standard ones. For example:
      # [models."gpt-4o-mini"]
      # input_price = 0.15
      # output_price = 0.60
      # output_tokens_per_entry = 600
      # max_completion_tokens = 2000
      # max_shard_input_tokens = 2_000_000   # keep under your tier's enqueued-token limit

      """
    return out
  }
}
