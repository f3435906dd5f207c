import WireFormats

extension DialectJSONRequest {
    /// An optional integer parameter (`n`, `max_tokens`, …) that must be at least 1 when present;
    /// otherwise OpenAI's 400 `integer_below_min_value`.
    func positiveInteger(_ name: String) throws(EmulatorError) -> Int? {
        guard let value = self[name], !value.isNull else { return nil }
        guard let integer = value.intValue, integer >= 1 else {
            throw OpenAIErrorStyle.invalidParameter(
                name,
                message: "Invalid '\(name)': integer below minimum value. Expected a value >= 1, but got \(value.encodedString()) instead.",
                code: "integer_below_min_value"
            )
        }
        return integer
    }
}
