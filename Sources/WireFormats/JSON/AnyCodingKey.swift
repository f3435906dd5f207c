/// A coding key for any string: reads objects whose keys are not known in advance (unknown
/// request fields kept by the router's translators, strict admin bodies that refuse them).
package struct AnyCodingKey: CodingKey, Hashable {
    package var stringValue: String
    package var intValue: Int?

    package init(_ string: String) {
        self.stringValue = string
        self.intValue = nil
    }

    package init(stringValue: String) {
        self.init(stringValue)
    }

    package init(intValue: Int) {
        self.stringValue = String(intValue)
        self.intValue = intValue
    }
}
