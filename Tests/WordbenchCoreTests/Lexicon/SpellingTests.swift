import Testing

@testable import WordbenchCore

@Suite("Spelling rules")
struct SpellingTests {
  @Test(
    "every spelling English allows for a base and an inflection",
    arguments: [
      ("hop", Inflection.presentParticiple, ["hopping"]),
      ("hope", .presentParticiple, ["hoping", "hopeing"]),
      ("visit", .pastTense, ["visitted", "visited"]),
      ("zinc", .pastTense, ["zincked", "zinced"]),
      ("tie", .presentParticiple, ["tying", "tiing", "tieing"]),
      ("try", .pastTense, ["tried"]),
      ("play", .pastTense, ["played"]),
      ("big", .comparative, ["bigger"]),
      ("happy", .superlative, ["happiest"]),
      ("quit", .presentParticiple, ["quitting"]),
      ("box", .plural, ["boxes"]),
      ("bus", .plural, ["buses", "busses"]),
      ("church", .plural, ["churchs", "churches"]),
      ("city", .plural, ["citys", "cities"]),
      ("day", .plural, ["days"]),
      ("woman", .plural, ["womans", "women"]),
      ("woman", .thirdPerson, ["womans"]),
      ("hero", .plural, ["heros", "heroes"]),
      ("wish", .thirdPerson, ["wishes"]),
      ("quiz", .plural, ["quizes", "quizzes"]),
      ("stomach", .plural, ["stomachs", "stomaches"]),
    ])
  func forms(base: String, inflection: Inflection, expected: [String]) {
    #expect(Spelling.inflect(base, inflection) == expected)
  }

  @Test(
    "a candidate base must spell the word back",
    arguments: [
      ("hoping", "hope", Inflection.presentParticiple, true),
      ("hoping", "hop", .presentParticiple, false),
      ("bared", "bare", .pastTense, true),
      ("bared", "bar", .pastTense, false),
      ("stopped", "stop", .pastTense, true),
      ("cities", "city", .plural, true),
      ("women", "woman", .plural, true),
      ("café", "caf", .plural, false),
      ("naïves", "naïve", .plural, true),
      ("tress", "tres", .thirdPerson, false),
      ("lass", "las", .plural, false),
    ])
  func spells(word: String, base: String, inflection: Inflection, expected: Bool) {
    var word = word
    var base = base
    let spelled = word.withUTF8 { word in base.withUTF8 { Spelling.spells(word, base: $0, inflection) } }
    #expect(spelled == expected)
  }
}
