extension Duration {
    /// Whole milliseconds, rounded down: the resolution cassettes store offsets in.
    var wholeMilliseconds: Int {
        let (seconds, attoseconds) = self.components
        return Int(seconds * 1000 + attoseconds / 1_000_000_000_000_000)
    }
}
