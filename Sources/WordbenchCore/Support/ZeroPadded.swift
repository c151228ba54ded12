extension Int {
  /// The number in decimal with leading zeros up to `width` digits: 7 → `007` for width 3; wider numbers stay whole.
  func zeroPadded(_ width: Int) -> String {
    let digits = String(self)
    return String(repeating: "0", count: Swift.max(0, width - digits.count)) + digits
  }
}
